import { JwtService } from '@nestjs/jwt';
import { Role, ROLES } from '../shared/actor';
import { DEFAULT_MAX_TOKEN_TTL_SECONDS } from './token-rules';

/**
 * One token per role, for a developer's first minutes with the embedded default (never in production).
 * They carry `iat` and `exp` and live `ttlSeconds` (main passes AUTH_MAX_TOKEN_TTL), so the guard accepts them.
 */
export function mintDevTokens(secret: string, ttlSeconds = DEFAULT_MAX_TOKEN_TTL_SECONDS): Record<Role, string> {
  const jwt = new JwtService({ secret, signOptions: { algorithm: 'HS256', expiresIn: ttlSeconds } });
  return Object.fromEntries(
    ROLES.map((role) => [role, jwt.sign({ sub: `dev-${role}`, roles: [role], department: 'after-sales' })]),
  ) as Record<Role, string>;
}
