import { JwtService } from '@nestjs/jwt';
import { Role, ROLES } from '../disputes/domain/dispute.types';

/** One token per role, for a developer's first minutes with the embedded default (never in production). */
export function mintDevTokens(secret: string, ttl = '12h'): Record<Role, string> {
  const jwt = new JwtService({ secret, signOptions: { algorithm: 'HS256', expiresIn: ttl as never } });
  return Object.fromEntries(
    ROLES.map((role) => [role, jwt.sign({ sub: `dev-${role}`, roles: [role], department: 'after-sales' })]),
  ) as Record<Role, string>;
}
