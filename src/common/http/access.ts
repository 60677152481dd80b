import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Actor, Role } from '../../shared/actor';

export const ROLES_KEY = 'casetrail:roles';
export const PUBLIC_KEY = 'casetrail:public';

/** Roles allowed on a route; the guard answers 403 to a valid token without one of them. */
export const Roles = (...roles: readonly Role[]) => SetMetadata(ROLES_KEY, roles);
/** A route that needs no token (health). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The authenticated caller, as the guard put it on the request. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  return context.switchToHttp().getRequest<{ actor: Actor }>().actor;
});
