import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions, ThrottlerOptions } from '@nestjs/throttler';
import { THROTTLER_SKIP } from '@nestjs/throttler/dist/throttler.constants';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OpsConfig } from '../config/ops-config';
import { Actor } from '../shared/actor';

export const MINUTE_MS = 60_000;

/**
 * Two one-minute budgets: per authenticated user (RATE_LIMIT_PER_MINUTE) and per client address
 * (RATE_LIMIT_PER_MINUTE_PER_IP; behind a proxy set TRUST_PROXY). Counters are per instance (in memory).
 * The guard is registered after the JWT guard, so the user is the verified `sub`, never a claimed one;
 * requests the JWT guard refuses are charged to their address's budget there (ClientLimits).
 * @SkipThrottle() routes (health, metrics) are never limited, by any throttler (see `shouldSkip`).
 */
export function throttlerOptions(ops: OpsConfig): ThrottlerModuleOptions {
  const throttlers: ThrottlerOptions[] = [];
  if (ops.rateLimitPerUserPerMinute > 0) {
    throttlers.push({
      name: 'user',
      ttl: MINUTE_MS,
      limit: ops.rateLimitPerUserPerMinute,
      skipIf: (context) => actorOf(context) === undefined,
      getTracker: (req) => `user:${(req as { actor: Actor }).actor.id}`,
    });
  }
  if (ops.rateLimitPerIpPerMinute > 0) {
    throttlers.push({
      name: 'ip',
      ttl: MINUTE_MS,
      limit: ops.rateLimitPerIpPerMinute,
      getTracker: (req) => ipTracker((req as FastifyRequest).ip),
    });
  }
  return { throttlers, setHeaders: false };
}

export const ipTracker = (address: string) => `ip:${address}`;
/** One budget across every route (the throttler's default key is per route). */
export const budgetKey = (throttlerName: string, tracker: string) => `${throttlerName}:${tracker}`;

const actorOf = (context: ExecutionContext) => context.switchToHttp().getRequest<{ actor?: Actor }>().actor;

@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  /**
   * `@SkipThrottle()` with no argument marks only the throttler named `default`; ours are named `user` and
   * `ip`, so /health and /metrics used to be charged to (and refused by) the per-address budget: behind a
   * proxy without TRUST_PROXY, every client shares one address and the load balancer's health checks failed
   * with the rest. Here it skips every throttler.
   */
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return this.reflector.getAllAndOverride<boolean>(`${THROTTLER_SKIP}default`, [context.getHandler(), context.getClass()]) === true;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return budgetKey(throttlerName, tracker);
  }

  /** 429 with a plain `Retry-After` (seconds), whatever throttler fired; ProblemFilter writes the error body. */
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    void reply.header('Retry-After', String(seconds));
    const scope = detail.key.startsWith('user:') ? 'this user' : 'this client address';
    throw new ThrottlerException(`rate limit of ${detail.limit} requests per minute exceeded for ${scope}; retry after ${seconds} s`);
  }
}
