import { applyDecorators, INestApplication, Type } from '@nestjs/common';
import {
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
import { annotateAccess } from './openapi-access';
import { finishDocument } from './openapi-document';
import { ApiVersionIfMatch, etagOf, OpenApiHeaders as Headers } from './api-versioned';
export { ApiPolicyIfMatch, ApiVersionIfMatch, etagOf, POLICY_ETAG_HEADER } from './api-versioned';
import { serveSwaggerUi } from './swagger-ui';

/**
 * OpenAPI for every controller, from decorators (the swagger CLI plugin is off: we build with plain tsc).
 *
 * Roles need no extra decorator: setupOpenApi reads the same @Roles/@Public metadata the JWT guard
 * enforces and writes them into each operation (description, `x-roles`, security, 401/403/429).
 * `@ApiRoles(...)` only overrides the text when the rule is finer than the metadata (e.g. "agent (own)").
 *
 * How a route must be decorated to pass the conformance check: README "The HTTP contract".
 */

/** One offending field of a 400. */
export class FieldProblemDto {
  @ApiProperty({ example: 'channel', description: 'the field path, e.g. `amount.amount`' }) field: string;
  @ApiProperty({ type: [String], example: ['channel must be one of the following values: phone, email, chat, web'] }) problems: string[];
}

/** API.md's error body. */
export class ErrorBodyDto {
  @ApiProperty({ type: 'integer', example: 409 }) statusCode: number;
  @ApiProperty({ example: 'Conflict' }) error: string;
  @ApiProperty({ example: 'a closed dispute cannot be escalated' }) message: string;
  @ApiPropertyOptional({
    description:
      'structured context, one of two shapes: a 400 names every offending field as `[{ field, problems }]`; ' +
      'any other status gives an object (e.g. `{ currentVersion }` on 412, `{ accepted }` on 415)',
    example: [{ field: 'channel', problems: ['channel must be one of the following values: phone, email, chat, web'] }],
    anyOf: [
      { type: 'array', items: { $ref: '#/components/schemas/FieldProblemDto' } },
      { type: 'object', additionalProperties: true },
    ],
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
  401: {
    description: 'Missing, expired or invalid bearer token',
    example: { error: 'Unauthorized', message: 'missing bearer token (Authorization: Bearer <JWT>)' },
  },
  403: {
    description: "Valid token, but no role allowed on this route (or above the caller's authority)",
    example: { error: 'Forbidden', message: 'this route needs one of the roles: supervisor' },
  },
  404: { description: 'Unknown dispute (or compensation)', example: { error: 'Not Found', message: 'dispute 6c0e… not found' } },
  409: {
    description: 'The current stage does not allow this command; the message says why',
    example: { error: 'Conflict', message: 'a closed dispute cannot be escalated' },
  },
  412: {
    description: '`If-Match` names a version the dispute (or policy) has moved past',
    example: {
      error: 'Precondition Failed',
      message: "If-Match version 3 does not match the dispute's version 5",
      details: { currentVersion: 5 },
    },
  },
  413: { description: 'Body larger than 1 MB', example: { error: 'Payload Too Large', message: 'request body is larger than 1 MB' } },
  415: {
    description: 'The body is not JSON (form-encoded, text, multipart…): nothing was read or written',
    example: {
      error: 'Unsupported Media Type',
      message: 'Content-Type "application/x-www-form-urlencoded" is not accepted: send application/json',
      details: { accepted: ['application/json'] },
    },
  },
  422: {
    description: 'The `Idempotency-Key` was already used with a different request',
    example: { error: 'Unprocessable Entity', message: 'this Idempotency-Key was already used with a different request' },
  },
  429: {
    description: 'Rate limited (per user and per client address); `Retry-After` says when to retry',
    example: { error: 'Too Many Requests', message: 'rate limit of 6000 requests per minute exceeded for this user; retry after 42 s' },
  },
  500: {
    description: 'An unexpected failure (logged with the request id); a write may be retried with the same Idempotency-Key',
    example: { error: 'Internal Server Error', message: 'Internal server error' },
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

const RETRY_AFTER = { description: 'seconds to wait before retrying', schema: { type: 'integer' } };

/** Error responses with API.md's body and an example each. */
export function ApiErrorResponses(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERRORS[status]?.description ?? 'Error',
        type: ErrorBodyDto,
        example: { statusCode: status, ...(ERRORS[status]?.example ?? { error: 'Error', message: '' }) },
        ...(status === 429 || status === 503 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
      }),
    ),
  );
}

export const COMMAND_ERRORS = [400, 401, 403, 404, 409, 412, 413, 415, 422, 429, 503];
export const READ_ERRORS = [400, 401, 403, 404, 429];

/** The request headers every write accepts and the errors it can answer (API.md "Writes"). */
export function ApiCommandResponses(options: { notFound?: boolean; versionOf?: string } = {}) {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'same key + same body → the first response again, no second effect; same key + other body → 422; 1–255 characters of A–Z a–z 0–9 . _ : @ - (else 400)',
    }),
    options.versionOf
      ? ApiVersionIfMatch(options.versionOf)
      : ApiHeader({
          name: 'If-Match',
          required: false,
          description: 'the dispute version from `ETag`, e.g. `"3"`; 412 when the dispute moved on',
        }),
    ApiHeader({
      name: 'X-Correlation-Id',
      required: false,
      description:
        "kept in the events' metadata and the logs when 1–128 characters of A–Z a–z 0–9 . _ : @ -; generated otherwise; echoed back",
    }),
    ApiHeader({
      name: 'X-Causation-Id',
      required: false,
      description:
        "the message that caused this command, kept in the events' metadata when 1–128 characters of A–Z a–z 0–9 . _ : @ - (otherwise not kept)",
    }),
    ApiErrorResponses(...COMMAND_ERRORS.filter((s) => s !== 404 || options.notFound !== false)),
  );
}

/** The errors a read can answer. */
export function ApiReadResponses(options: { notFound?: boolean } = {}) {
  return ApiErrorResponses(...READ_ERRORS.filter((s) => s !== 404 || options.notFound !== false));
}

const DISPUTE_HEADERS: Headers = {
  ETag: { description: "the dispute's new version, for If-Match", schema: { type: 'string', example: '"4"' } },
  'X-Casetrail-Position': { description: 'log position reached by the write (read-your-writes)', schema: { type: 'integer' } },
  'X-Correlation-Id': { description: 'the correlation id of this request', schema: { type: 'string' } },
};

/**
 * A write route: summary, stable operationId, success response (200, or 201 with `created`), headers and every
 * error. `Location` is declared only where the route sends it (`location: true`).
 */
export function ApiCommand(options: {
  summary: string;
  operationId: string;
  description?: string;
  type?: Type<unknown>;
  created?: boolean;
  location?: boolean;
  body?: Type<unknown>;
  notFound?: boolean;
  /** The error statuses, when not every command error applies. */
  errors?: number[];
  /** Not a dispute's write: ETag and If-Match carry the version of this (e.g. `policy`, `standing`). */
  versionOf?: string;
}) {
  const status = options.created ? 201 : 200;
  const headers: Headers = options.versionOf
    ? etagOf(options.versionOf)
    : options.location
      ? { ...DISPUTE_HEADERS, Location: { description: 'the new dispute', schema: { type: 'string', example: '/api/v1/disputes/6c0e…' } } }
      : DISPUTE_HEADERS;
  return applyDecorators(
    ApiOperation({ summary: options.summary, description: options.description, operationId: options.operationId }),
    ApiResponse({
      status,
      type: options.type,
      description: options.created ? 'Created: the new state (as GET)' : 'The new state (as GET)',
      headers,
    }),
    ...(options.body ? [ApiBody({ type: options.body })] : []),
    options.errors
      ? ApiErrorResponses(...options.errors)
      : ApiCommandResponses({ notFound: options.notFound, versionOf: options.versionOf }),
  );
}

/**
 * A read route: summary, stable operationId, the 200 response and its errors (default 400 and 404; 401, 403
 * and 429 are added from @Roles/@Public), and the headers it sends.
 */
export function ApiRead(options: {
  summary: string;
  operationId?: string;
  description?: string;
  type?: Type<unknown>;
  notFound?: boolean;
  errors?: number[];
  headers?: Headers;
}) {
  const errors = options.errors ?? READ_ERRORS.filter((s) => s !== 404 || options.notFound !== false);
  return applyDecorators(
    ApiOperation({ summary: options.summary, description: options.description, operationId: options.operationId }),
    ApiResponse({ status: 200, type: options.type, description: 'OK', headers: options.headers }),
    ApiErrorResponses(...errors),
  );
}

/** Sent by reads that wait for their read model (X-Casetrail-Min-Position, src/read-side/engine/read-consistency.ts). */
export const STALE_HEADER: Headers = {
  'X-Casetrail-Stale': {
    description: '`true` when the read model had not caught up in time',
    schema: { type: 'string', enum: ['true', 'false'] },
  },
};
export const INTEGRITY_HEADERS: Headers = {
  'X-Casetrail-Integrity': { description: 'tamper-evidence check of the case', schema: { type: 'string', enum: ['verified', 'failed'] } },
};
export const ETAG_HEADER: Headers = {
  ETag: { description: "the dispute's version, for If-Match", schema: { type: 'string', example: '"4"' } },
};

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
    // Routes name their operationId (ApiRead/ApiCommand/ApiOperation); this is only the fallback.
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey}_${methodKey}`,
    extraModels: [ErrorBodyDto, FieldProblemDto],
  });
  annotateAccess(app, document, errorResponse);
  finishDocument(document, errorResponse);
  // JSON and YAML from SwaggerModule; the UI page is served below (SwaggerModule's UI needs @fastify/static,
  // whose current major needs Node 22 and cannot be loaded under jest).
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml', ui: false });
  serveSwaggerUi(app);
  return document;
}

/** An error response of API.md's shape for one status, with its example. */
function errorResponse(status: number) {
  return {
    description: ERRORS[status].description,
    ...(status === 429 || status === 503 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
    content: {
      'application/json': {
        schema: { $ref: '#/components/schemas/ErrorBodyDto' },
        example: { statusCode: status, ...ERRORS[status].example },
      },
    },
  };
}
