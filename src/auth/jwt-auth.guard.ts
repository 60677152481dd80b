import { createSecretKey, KeyObject } from 'node:crypto';
import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Actor, Role, ROLES } from '../shared/actor';
import { ClientLimits } from '../ops/client-limits';
import { PUBLIC_KEY, ROLES_KEY } from '../common/http/access';
import { CLOCK_SKEW_SECONDS, headerProblem, TimeClaims, timeClaimsOf, timeProblem, TokenRefused, TokenRules } from './token-rules';

interface Claims {
  exp?: unknown;
  iat?: unknown;
  nbf?: unknown;
  sub?: unknown;
  roles?: unknown;
  department?: unknown;
}

/**
 * Bearer HS256 JWT on every route but @Public ones; any other algorithm refused, and the rules of
 * token-rules.ts: `exp` and `iat` required, lifetime at most AUTH_MAX_TOKEN_TTL, `nbf`/`iat` with 60 s skew,
 * no `crit` header; `sub` non-empty, `roles` a non-empty array of known roles. Every refusal is a 401 with
 * the reason; refusals are counted per client address (ClientLimits), which answers 429 past its budgets.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly limits: ClientLimits,
  ) {
    // A key object built once: given a string, jsonwebtoken first tries to read it as a public key on every
    // request, which cost more than half a millisecond per call (measured in BENCHMARKS.md).
    this.key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
    this.rules = { maxTtlSeconds: config.authMaxTokenTtlSeconds, skewSeconds: CLOCK_SKEW_SECONDS };
  }

  private readonly key: KeyObject;
  private readonly rules: TokenRules;
  private readonly verified = new Map<string, Verified>();

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { actor?: Actor }>();
    const actor = await this.authenticate(request, http.getResponse<FastifyReply>());
    request.actor = actor;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (allowed && !allowed.some((role) => actor.roles.includes(role))) {
      throw new ForbiddenException(`this route needs one of the roles: ${allowed.join(', ')}`);
    }
    return true;
  }

  private async authenticate(request: FastifyRequest, reply: FastifyReply): Promise<Actor> {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(request.headers.authorization ?? '');
    const token = match?.[1];
    if (token !== undefined) {
      const known = this.verified.get(token);
      if (known) {
        if (timeProblem(known.time, Date.now() / 1000, this.rules) === undefined) return known.actor;
        this.verified.delete(token); // refused below, with the reason, like any token seen for the first time
      }
    }
    await this.limits.beforeVerifying(request.ip, reply);
    try {
      if (token === undefined) throw new TokenRefused('missing bearer token (Authorization: Bearer <JWT>)');
      const { actor, time } = await this.verify(token);
      if (this.verified.size >= VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(token, { actor, time });
      return actor;
    } catch (error) {
      if (!(error instanceof TokenRefused)) throw error;
      await this.limits.authenticationFailed(request.ip, reply);
      throw new UnauthorizedException(error.message);
    }
  }

  /** Signature and algorithm (jsonwebtoken), then every rule of token-rules.ts; throws TokenRefused. */
  private async verify(token: string): Promise<Verified> {
    let decoded: { header: Record<string, unknown>; payload: Claims };
    try {
      decoded = await this.jwt.verifyAsync(token, {
        secret: this.key as unknown as string,
        algorithms: ['HS256'],
        complete: true,
        // Time claims are checked by token-rules.ts (required, bounded, with skew), on first use and on every use after.
        ignoreExpiration: true,
        ignoreNotBefore: true,
      });
    } catch (error) {
      throw new TokenRefused(`invalid token: ${(error as Error).message}`);
    }
    const problem = headerProblem(decoded.header);
    if (problem !== undefined) throw new TokenRefused(problem);
    const claims = decoded.payload;
    if (typeof claims !== 'object' || claims === null) throw new TokenRefused('invalid token: its payload is not a JSON object');
    const time = timeClaimsOf(claims, this.rules);
    const now = timeProblem(time, Date.now() / 1000, this.rules);
    if (now !== undefined) throw new TokenRefused(now);
    return { actor: actorOf(claims), time };
  }
}

/**
 * Tokens that passed every rule, by their exact text: a signature stays valid for the process's key and the
 * claims do not change, so only `timeProblem` (expiry, and nbf/iat against the clock) is checked again on
 * each use. Bounded; the oldest entry goes first.
 */
const VERIFIED_MAX = 10_000;
interface Verified {
  actor: Actor;
  time: TimeClaims;
}

/** Frozen: one actor object serves every request that carries the same token. */
function actorOf(claims: Claims): Actor {
  const roles = claims.roles;
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw new TokenRefused('token has no subject (sub)');
  if (!Array.isArray(roles) || roles.length === 0 || roles.some((r) => !ROLES.includes(r as (typeof ROLES)[number]))) {
    throw new TokenRefused(`token roles must be a non-empty array of ${ROLES.join(', ')}`);
  }
  // A senior agent works cases as an agent does: same routes, same ownership (src/shared/actor.ts).
  const granted = roles.includes('senior_agent') && !roles.includes('agent') ? [...roles, 'agent'] : [...roles];
  return Object.freeze({
    id: claims.sub,
    roles: Object.freeze(granted) as Role[],
    department: typeof claims.department === 'string' ? claims.department : undefined,
  });
}
