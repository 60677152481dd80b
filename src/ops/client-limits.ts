import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MetricsService } from './metrics';
import { budgetKey, ipTracker, MINUTE_MS } from './rate-limit.guard';

/**
 * Budgets for requests that did not authenticate (the JWT guard calls these; the rate-limit guard, which
 * runs after it, never sees them):
 * - each one counts against the client address's request budget (RATE_LIMIT_PER_MINUTE_PER_IP), the same
 *   budget the rate-limit guard charges authenticated requests with;
 * - each one counts as a failed authentication of the address (AUTH_FAILURES_PER_MINUTE_PER_IP, in a
 *   fixed one-minute window from its first failure). Once the address has spent that budget, the guard
 *   refuses with 429 any token it has not verified before, without verifying it: guessing is bounded, while
 *   colleagues behind the same address whose tokens this instance already verified keep working.
 * Per instance, in memory, like the other rate limits.
 */
@Injectable()
export class ClientLimits {
  private readonly failures = new FixedWindowCounter(MINUTE_MS);
  private readonly failuresPerMinute: number;
  private readonly requestsPerMinute: number;
  private readonly failed;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    metrics: MetricsService,
  ) {
    this.failuresPerMinute = config.ops.authFailuresPerMinutePerIp;
    this.requestsPerMinute = config.ops.rateLimitPerIpPerMinute;
    this.failed = metrics.counter({
      name: 'casetrail_auth_failures_total',
      help: 'Requests refused for their token (401), or refused unverified once the client address had too many such failures (429)',
      labelNames: ['status'] as const,
    });
  }

  /** Before a token the guard has not verified yet is verified: 429 while the address has no failures left. */
  async beforeVerifying(address: string, reply: FastifyReply): Promise<void> {
    const seconds = this.failuresPerMinute > 0 ? this.failures.exhausted(address, this.failuresPerMinute, Date.now()) : undefined;
    if (seconds === undefined) return;
    await this.chargeRequest(address, reply);
    this.failed.inc({ status: '429' });
    throw tooMany(
      reply,
      seconds,
      `too many failed authentications from this client address (limit ${this.failuresPerMinute} per minute); retry after ${seconds} s`,
    );
  }

  /** After a request failed to authenticate, before its 401: counts it; 429 instead when a budget is spent. */
  async authenticationFailed(address: string, reply: FastifyReply): Promise<void> {
    await this.chargeRequest(address, reply);
    if (this.failuresPerMinute > 0) this.failures.hit(address, Date.now());
    this.failed.inc({ status: '401' });
  }

  /** The per-address request budget the rate-limit guard's `ip` throttler keeps; 429 once it is spent. */
  private async chargeRequest(address: string, reply: FastifyReply): Promise<void> {
    if (this.requestsPerMinute <= 0) return;
    const tracker = ipTracker(address);
    const { isBlocked, timeToBlockExpire } = await this.storage.increment(
      budgetKey('ip', tracker),
      MINUTE_MS,
      this.requestsPerMinute,
      MINUTE_MS,
      'ip',
    );
    if (!isBlocked) return;
    const seconds = Math.max(1, Math.ceil(timeToBlockExpire));
    throw tooMany(
      reply,
      seconds,
      `rate limit of ${this.requestsPerMinute} requests per minute exceeded for this client address; retry after ${seconds} s`,
    );
  }
}

function tooMany(reply: FastifyReply, seconds: number, message: string): HttpException {
  void reply.header('Retry-After', String(seconds));
  return new HttpException(message, HttpStatus.TOO_MANY_REQUESTS);
}

/**
 * Counts per key in fixed windows that start at a key's first hit. Bounded: expired windows are swept
 * whenever the map has doubled since the last sweep, and past MAX_KEYS the oldest keys go first.
 */
export class FixedWindowCounter {
  private readonly windows = new Map<string, { endsAt: number; count: number }>();
  private sweepAt = 1024;

  constructor(private readonly windowMs: number) {}

  hit(key: string, now: number): number {
    const current = this.windows.get(key);
    if (current && current.endsAt > now) return ++current.count;
    this.windows.delete(key); // re-inserted last: the map stays in order of window start
    this.windows.set(key, { endsAt: now + this.windowMs, count: 1 });
    if (this.windows.size >= this.sweepAt) this.sweep(now);
    return 1;
  }

  /** Seconds until the key's window ends when it holds `limit` hits or more; `undefined` otherwise. */
  exhausted(key: string, limit: number, now: number): number | undefined {
    const current = this.windows.get(key);
    if (!current || current.endsAt <= now || current.count < limit) return undefined;
    return Math.max(1, Math.ceil((current.endsAt - now) / 1000));
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
    for (const key of this.windows.keys()) {
      if (this.windows.size <= MAX_KEYS) break;
      this.windows.delete(key);
    }
    this.sweepAt = Math.max(1024, this.windows.size * 2);
  }
}

const MAX_KEYS = 100_000;
