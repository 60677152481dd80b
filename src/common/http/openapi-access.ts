import { ROLES } from '../../shared/actor';
import { INestApplication, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { DECORATORS, OpenAPIObject } from '@nestjs/swagger';
import { PUBLIC_KEY, ROLES_KEY } from './access';

interface Access {
  public: boolean;
  roles: readonly string[] | undefined;
}

/** operationId → the guard's view of the route (@Public, @Roles on the handler or its class). */
function accessByOperation(app: INestApplication): Map<string, Access> {
  const byOperation = new Map<string, Access>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (!controller?.prototype) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = Object.getOwnPropertyDescriptor(controller.prototype, name)?.value as unknown;
        if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const explicit = (Reflect.getMetadata(DECORATORS.API_OPERATION, handler) as { operationId?: string } | undefined)?.operationId;
        byOperation.set(explicit ?? `${controller.name}_${name}`, {
          public: Reflect.getMetadata(PUBLIC_KEY, handler) === true || Reflect.getMetadata(PUBLIC_KEY, controller) === true,
          roles: (Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, controller)) as readonly string[] | undefined,
        });
      }
    }
  }
  return byOperation;
}

type Operation = {
  operationId?: string;
  description?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, unknown>;
  'x-roles'?: string[];
  'x-public'?: boolean;
};

/** Marks each operation public or with the roles the guard allows, and adds the auth errors it can answer. */
export function annotateAccess(app: INestApplication, document: OpenAPIObject, errorResponse: (status: number) => unknown): void {
  const access = accessByOperation(app);
  for (const pathItem of Object.values(document.paths)) {
    for (const method of Object.values(RequestMethod).filter((m): m is string => typeof m === 'string')) {
      const operation = (pathItem as Record<string, Operation | undefined>)[method.toLowerCase()];
      if (!operation?.operationId) continue;
      const rule = access.get(operation.operationId);
      if (!rule) continue;
      if (rule.public) {
        operation['x-public'] = true;
        if (!operation.security) operation.security = [];
        operation.description = prefix('**Access:** public (no token).', operation.description);
        continue;
      }
      const explicit = operation['x-roles'];
      const roles = explicit ?? [...(rule.roles ?? ROLES)];
      operation['x-roles'] = roles;
      operation.security = [{ bearer: [] }];
      const text = explicit || rule.roles ? roles.join(', ') : `every role (${ROLES.join(', ')})`;
      operation.description = prefix(`**Roles:** ${text}.`, operation.description);
      for (const status of [401, 403, 429]) operation.responses[String(status)] ??= errorResponse(status);
    }
  }
}

const prefix = (line: string, description?: string) => (description ? `${line}\n\n${description}` : line);
