import { createSecretKey, KeyObject } from 'node:crypto';
import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Actor, Role, ROLES } from '../disputes/domain/dispute.types';
import { PUBLIC_KEY, ROLES_KEY } from './actor';

interface Claims {
  exp?: unknown;
  nbf?: unknown;
  sub?: unknown;
  roles?: unknown;
  department?: unknown;
}

/** Bearer HS256 JWT on every route but @Public ones; `exp` honoured, any other algorithm refused. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    // A key object built once: given a string, jsonwebtoken first tries to read it as a public key on every
    // request, which cost more than half a millisecond per call (measured in BENCHMARKS.md).
    this.key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  private readonly key: KeyObject;
  private readonly verified = new Map<string, Verified>();

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; actor?: Actor }>();
    const actor = await this.authenticate(request.headers.authorization);
    request.actor = actor;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (allowed && !allowed.some((role) => actor.roles.includes(role))) {
      throw new ForbiddenException(`this route needs one of the roles: ${allowed.join(', ')}`);
    }
    return true;
  }

  private async authenticate(header: string | undefined): Promise<Actor> {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header ?? '');
    if (!match) throw new UnauthorizedException('missing bearer token (Authorization: Bearer <JWT>)');
    const token = match[1];
    const known = this.verified.get(token);
    if (known && stillValid(known, Date.now() / 1000)) return known.actor;
    let claims: Claims;
    try {
      claims = await this.jwt.verifyAsync<Claims>(token, { secret: this.key as unknown as string, algorithms: ['HS256'] });
    } catch (error) {
      throw new UnauthorizedException(`invalid token: ${(error as Error).message}`);
    }
    const actor = actorOf(claims);
    if (this.verified.size >= VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { actor, exp: numeric(claims.exp), nbf: numeric(claims.nbf) });
    return actor;
  }
}

/**
 * Tokens whose signature and claims were checked, by their exact text: a signature stays valid for the
 * process's key, so only the time claims (exp, nbf: as jsonwebtoken reads them, no clock tolerance) are
 * checked again on each use. Bounded; the oldest entry goes first.
 */
const VERIFIED_MAX = 10_000;
interface Verified {
  actor: Actor;
  exp: number | undefined;
  nbf: number | undefined;
}
const numeric = (value: unknown) => (typeof value === 'number' ? value : undefined);
const stillValid = (v: Verified, nowSeconds: number) =>
  (v.exp === undefined || Math.floor(nowSeconds) < v.exp) && (v.nbf === undefined || Math.floor(nowSeconds) >= v.nbf);

/** Frozen: one actor object serves every request that carries the same token. */
function actorOf(claims: Claims): Actor {
  const roles = claims.roles;
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw new UnauthorizedException('token has no subject (sub)');
  if (!Array.isArray(roles) || roles.some((r) => !ROLES.includes(r as (typeof ROLES)[number]))) {
    throw new UnauthorizedException(`token roles must be an array of ${ROLES.join(', ')}`);
  }
  return Object.freeze({
    id: claims.sub,
    roles: Object.freeze([...roles]) as Role[],
    department: typeof claims.department === 'string' ? claims.department : undefined,
  });
}
