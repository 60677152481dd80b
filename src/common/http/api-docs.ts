import { applyDecorators, INestApplication, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import {
  DECORATORS,
  ApiBody,
  ApiExtension,
  ApiHeader,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  DocumentBuilder,
  OpenAPIObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PUBLIC_KEY, ROLES_KEY } from '../../auth/actor';
import { ROLES } from '../../shared/actor';

/**
 * OpenAPI for every controller, from decorators (the swagger CLI plugin is off: we build with plain tsc).
 *
 * Roles need no extra decorator: setupOpenApi reads the same @Roles/@Public metadata the JWT guard
 * enforces and writes them into each operation (description, `x-roles`, security, 401/403/429).
 * `@ApiRoles(...)` only overrides the text when the rule is finer than the metadata (e.g. "agent (own)").
 *
 * A new controller documents itself like this:
 *
 *   @ApiTags('queues')
 *   @Controller('api/v1/queues')
 *   export class QueuesController {
 *     @Get('me') @Roles('agent', 'supervisor', 'manager')
 *     @ApiRead({ summary: 'My queue', type: QueueDto })
 *     me() { ... }
 *
 *     @Put('policy') @Roles('admin') @HttpCode(200)
 *     @ApiCommand({ summary: 'Replace the SLA policy', type: SlaPolicyDto })
 *     put(@Body() body: SlaPolicyDto) { ... }
 *   }
 */

/** API.md's error body. */
export class ErrorBodyDto {
  @ApiProperty({ example: 409 }) statusCode: number;
  @ApiProperty({ example: 'Conflict' }) error: string;
  @ApiProperty({ example: 'a closed dispute cannot be escalated' }) message: string;
  @ApiPropertyOptional({
    description: 'structured context, e.g. every offending field of a 400',
    example: [{ field: 'channel', problems: ['channel must be one of the following values: phone, email, chat, web'] }],
    oneOf: [{ type: 'array', items: { type: 'object' } }, { type: 'object' }],
  })
  details?: unknown;
}

const ERRORS: Record<number, { description: string; example: { error: string; message: string; details?: unknown } }> = {
  400: {
    description: 'Malformed input: every offending field is named in `details`',
    example: {
      error: 'Bad Request',
      message: 'invalid channel: channel must be one of the following values: phone, email, chat, web',
      details: [{ field: 'channel', problems: ['channel must be one of the following values: phone, email, chat, web'] }],
    },
  },
  401: { description: 'Missing, expired or invalid bearer token', example: { error: 'Unauthorized', message: 'missing bearer token (Authorization: Bearer <JWT>)' } },
  403: { description: 'Valid token, but no role allowed on this route (or above the caller\'s authority)', example: { error: 'Forbidden', message: 'this route needs one of the roles: supervisor' } },
  404: { description: 'Unknown dispute (or compensation)', example: { error: 'Not Found', message: 'dispute 6c0e… not found' } },
  409: { description: 'The current stage does not allow this command; the message says why', example: { error: 'Conflict', message: 'a closed dispute cannot be escalated' } },
  412: {
    description: '`If-Match` names a version the dispute has moved past',
    example: { error: 'Precondition Failed', message: "If-Match version 3 does not match the dispute's version 5", details: { currentVersion: 5 } },
  },
  413: { description: 'Body larger than 1 MB', example: { error: 'Payload Too Large', message: 'request body is larger than 1 MB' } },
  415: {
    description: 'The body is not JSON (form-encoded, text, multipart…): nothing was read or written',
    example: { error: 'Unsupported Media Type', message: 'Content-Type "application/x-www-form-urlencoded" is not accepted: send application/json', details: { accepted: ['application/json'] } },
  },
  422: { description: 'The `Idempotency-Key` was already used with a different request', example: { error: 'Unprocessable Entity', message: 'this Idempotency-Key was already used with a different request' } },
  429: {
    description: 'Rate limited (per user and per client address); `Retry-After` says when to retry',
    example: { error: 'Too Many Requests', message: 'rate limit of 6000 requests per minute exceeded for this user; retry after 42 s' },
  },
  503: {
    description: 'The event store cannot write now (disk full or read-only): nothing was recorded; `Retry-After` says when to retry',
    example: {
      error: 'Service Unavailable',
      message: 'the event store is not writable (SQLITE_FULL: database or disk is full); nothing was recorded, retry later',
      details: { store: 'eventStore', writable: false },
    },
  },
};

/** Error responses with API.md's body and an example each. */
export function ApiErrorResponses(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERRORS[status]?.description ?? 'Error',
        type: ErrorBodyDto,
        example: { statusCode: status, ...(ERRORS[status]?.example ?? { error: 'Error', message: '' }) },
        ...(status === 429 || status === 503 ? { headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } } } } : {}),
      }),
    ),
  );
}

export const COMMAND_ERRORS = [400, 401, 403, 404, 409, 412, 413, 415, 422, 429, 503];
export const READ_ERRORS = [400, 401, 403, 404, 429];

/** The request headers every write accepts and the errors it can answer (API.md "Writes"). */
export function ApiCommandResponses(options: { notFound?: boolean } = {}) {
  return applyDecorators(
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'same key + same body → the first response again, no second effect; same key + other body → 422; 1–255 characters of A–Z a–z 0–9 . _ : @ - (else 400)' }),
    ApiHeader({ name: 'If-Match', required: false, description: 'the dispute version from `ETag`, e.g. `"3"`; 412 when the dispute moved on' }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'kept in the events\' metadata and the logs when 1–128 characters of A–Z a–z 0–9 . _ : @ -; generated otherwise; echoed back' }),
    ApiHeader({ name: 'X-Causation-Id', required: false, description: 'the message that caused this command, kept in the events\' metadata when 1–128 characters of A–Z a–z 0–9 . _ : @ - (otherwise not kept)' }),
    ApiErrorResponses(...COMMAND_ERRORS.filter((s) => s !== 404 || options.notFound !== false)),
  );
}

/** The errors a read can answer. */
export function ApiReadResponses(options: { notFound?: boolean } = {}) {
  return ApiErrorResponses(...READ_ERRORS.filter((s) => s !== 404 || options.notFound !== false));
}

const DISPUTE_HEADERS = {
  ETag: { description: 'the dispute\'s new version, for If-Match', schema: { type: 'string', example: '"4"' } },
  'X-Casetrail-Position': { description: 'log position reached by the write (read-your-writes)', schema: { type: 'integer' } },
  'X-Correlation-Id': { description: 'the correlation id of this request', schema: { type: 'string' } },
};

/** A write route: summary, success response (200, or 201 with `created`), headers and every error. */
export function ApiCommand(options: {
  summary: string;
  description?: string;
  type?: Type<unknown>;
  created?: boolean;
  body?: Type<unknown>;
  notFound?: boolean;
  /** Keeps a published operationId when a route moves to another controller (default: `<Controller>_<method>`). */
  operationId?: string;
}) {
  const status = options.created ? 201 : 200;
  const headers = options.created
    ? { ...DISPUTE_HEADERS, Location: { description: 'the new resource', schema: { type: 'string', example: '/api/v1/disputes/6c0e…' } } }
    : DISPUTE_HEADERS;
  return applyDecorators(
    ApiOperation({ summary: options.summary, description: options.description, ...(options.operationId ? { operationId: options.operationId } : {}) }),
    ApiResponse({ status, type: options.type, description: options.created ? 'Created: the new state (as GET)' : 'The new state (as GET)', headers }),
    ...(options.body ? [ApiBody({ type: options.body })] : []),
    ApiCommandResponses({ notFound: options.notFound }),
  );
}

/** A read route: summary, 200 response and the read errors. */
export function ApiRead(options: { summary: string; description?: string; type?: Type<unknown>; notFound?: boolean }) {
  return applyDecorators(
    ApiOperation({ summary: options.summary, description: options.description }),
    ApiResponse({ status: 200, type: options.type, description: 'OK' }),
    ApiReadResponses({ notFound: options.notFound }),
  );
}

/** Overrides the roles text setupOpenApi derives from @Roles, when the rule is finer (e.g. `agent (own)`). */
export const ApiRoles = (...roles: string[]) => ApiExtension('x-roles', roles);

// ---------------------------------------------------------------------------------------------

/** Builds the document and serves it: UI at /docs, JSON at /docs-json. Returns the document. */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Casetrail')
    .setDescription(
      'After-sales disputes, event-sourced. Errors are `{ statusCode, error, message, details? }`. ' +
        'Every route but GET /health and GET /metrics needs `Authorization: Bearer <JWT>` (HS256; claims sub, roles, department). ' +
        'Each operation names the roles it allows.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, only when configured' }, 'metrics-token')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey}_${methodKey}`,
    extraModels: [ErrorBodyDto],
  });
  annotateAccess(app, document);
  // JSON and YAML from SwaggerModule; the UI page is served below (SwaggerModule's UI needs @fastify/static,
  // whose current major needs Node 22 and cannot be loaded under jest).
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml', ui: false });
  serveSwaggerUi(app);
  return document;
}

const SWAGGER_UI_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

const SWAGGER_UI_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Casetrail API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui-init.js"></script>
</body></html>`;

const SWAGGER_UI_INIT = `window.ui = SwaggerUIBundle({ url: '/docs-json', dom_id: '#swagger-ui', persistAuthorization: true, deepLinking: true });`;

/** GET /docs: the Swagger UI (swagger-ui-dist, as shipped with @nestjs/swagger) over /docs-json. Public. */
function serveSwaggerUi(app: INestApplication): void {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  const assetsDir = dirname(require.resolve('swagger-ui-dist/swagger-ui-bundle.js', { paths: [dirname(require.resolve('@nestjs/swagger'))] }));
  const cache = new Map<string, Buffer>();
  fastify.get('/docs', (_request: FastifyRequest, reply: FastifyReply) => reply.type('text/html; charset=utf-8').send(SWAGGER_UI_PAGE));
  fastify.get('/docs/swagger-ui-init.js', (_request: FastifyRequest, reply: FastifyReply) => reply.type('application/javascript; charset=utf-8').send(SWAGGER_UI_INIT));
  for (const [file, type] of Object.entries(SWAGGER_UI_ASSETS)) {
    fastify.get(`/docs/${file}`, (_request: FastifyRequest, reply: FastifyReply) => {
      let body = cache.get(file);
      if (!body) cache.set(file, (body = readFileSync(join(assetsDir, file))));
      return reply.type(type).header('Cache-Control', 'public, max-age=86400').send(body);
    });
  }
}

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

function annotateAccess(app: INestApplication, document: OpenAPIObject): void {
  const access = accessByOperation(app);
  const errorSchema = { $ref: '#/components/schemas/ErrorBodyDto' };
  const errorResponse = (status: number) => ({
    description: ERRORS[status].description,
    content: { 'application/json': { schema: errorSchema, example: { statusCode: status, ...ERRORS[status].example } } },
  });
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
