import { OpenAPIObject } from '@nestjs/swagger';

/**
 * The last pass over the document @nestjs/swagger builds: it makes it OpenAPI 3.1 (JSON Schema 2020-12), so
 * that a nullable `$ref` means "this shape or null" to every validator and generator (3.0's `nullable: true`
 * beside an `allOf` reads as "not null" to Ajv, Prism and openapi-typescript alike), declares the server, the
 * license and the headers every response carries.
 */
export function finishDocument(document: OpenAPIObject, errorResponse: (status: number) => unknown): OpenAPIObject {
  const doc = document as unknown as Record<string, unknown> & OpenAPIObject;
  doc.openapi = '3.1.0';
  doc.servers = [{ url: '/', description: 'this service (paths start with /api/v1, /health, /metrics, /docs)' }];
  doc.info.license = { name: 'UNLICENSED', identifier: 'LicenseRef-Casetrail-Proprietary' } as never;
  doc.components ??= {};
  doc.components.headers = { ...(doc.components.headers ?? {}), ...COMMON_HEADERS };
  for (const pathItem of Object.values(doc.paths)) {
    for (const [method, operation] of Object.entries(pathItem as Record<string, Operation>)) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      addGlobalBehaviour(method, operation, errorResponse);
      for (const response of Object.values(operation.responses)) {
        if ('$ref' in response) continue;
        response.headers = { ...(response.headers ?? {}), ...COMMON_HEADER_REFS };
      }
    }
  }
  toJsonSchema2020(doc);
  return doc;
}

interface Operation {
  responses: Record<string, { headers?: Record<string, unknown>; $ref?: string }>;
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
  security?: Record<string, string[]>[];
  'x-public'?: boolean;
}

/**
 * What the app's global machinery does to a route, declared where it applies: the JSON-only guard, the body
 * limit and the validation pipe on every body (400, 413, 415); the idempotency interceptor on every
 * authenticated POST (Idempotency-Key, 422, `Idempotent-Replayed` on a replay); a public route that also takes
 * a token (`/metrics` with METRICS_TOKEN) lists "no credentials" first.
 */
function addGlobalBehaviour(method: string, operation: Operation, errorResponse: (status: number) => unknown): void {
  const add = (status: number) => (operation.responses[String(status)] ??= errorResponse(status) as never);
  add(500); // any route, on a fault (ProblemFilter answers it in the error body)
  // Errors are JSON even where the success is not (@ApiProduces applies to every response of a route).
  for (const [status, response] of Object.entries(operation.responses)) {
    const content = (response as { content?: Record<string, unknown> }).content;
    if (Number(status) >= 400 && content && !content['application/json'])
      operation.responses[status] = errorResponse(Number(status)) as never;
  }
  if (operation.requestBody) [400, 413, 415].forEach(add);
  if (operation['x-public']) {
    if (operation.security?.length && !operation.security.some((s) => Object.keys(s).length === 0)) operation.security.unshift({});
    return;
  }
  if (method !== 'post') return;
  [400, 422].forEach(add);
  operation.parameters ??= [];
  if (!operation.parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'))
    operation.parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'same key + same body → the first response again, no second effect; same key + other body → 422',
      schema: { type: 'string', maxLength: 255, pattern: '^[A-Za-z0-9._:@-]{1,255}$' },
    } as never);
  for (const [status, response] of Object.entries(operation.responses))
    if (status.startsWith('2') && !('$ref' in response))
      response.headers = { ...(response.headers ?? {}), 'Idempotent-Replayed': { $ref: '#/components/headers/Idempotent-Replayed' } };
}

/** Sent on every response (src/ops/http-hooks.ts). */
const COMMON_HEADERS = {
  'Idempotent-Replayed': {
    description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
  'X-Request-Id': { description: 'this request, as written in the logs', schema: { type: 'string' } },
  'X-Correlation-Id': {
    description: "the request's X-Correlation-Id when it is a safe id (1–128 of A–Z a–z 0–9 . _ : @ -), a generated one otherwise",
    schema: { type: 'string' },
  },
};
const COMMON_HEADER_REFS = {
  'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
  'X-Correlation-Id': { $ref: '#/components/headers/X-Correlation-Id' },
};

type Json = Record<string, unknown>;

/**
 * 3.0 → 3.1 schemas, in place: `nullable: true` becomes `type: [T, 'null']` (with `null` in an `enum`), or
 * `anyOf: [<the schema>, { type: 'null' }]` for a `$ref` / `allOf` one; `example` inside a schema stays (3.1
 * keeps it, deprecated, beside `examples`).
 */
export function toJsonSchema2020(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) toJsonSchema2020(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  for (const value of Object.values(schema)) toJsonSchema2020(value);
  if (schema.nullable !== true) {
    if (schema.nullable === false) delete schema.nullable;
    return;
  }
  delete schema.nullable;
  if (schema.allOf || schema.$ref || schema.oneOf || schema.anyOf) {
    const inner: Json = {};
    for (const key of ['allOf', '$ref', 'oneOf', 'anyOf', 'type', 'properties', 'required', 'additionalProperties'])
      if (key in schema) {
        inner[key] = schema[key];
        delete schema[key];
      }
    if (Array.isArray(inner.allOf) && inner.allOf.length === 1 && Object.keys(inner).length <= 2) {
      delete inner.type; // @nestjs/swagger adds type: object beside a nullable $ref
      Object.assign(inner, inner.allOf[0] as Json);
      delete inner.allOf;
    }
    schema.anyOf = [inner, { type: 'null' }];
    return;
  }
  if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  else if (Array.isArray(schema.type) && !schema.type.includes('null')) schema.type = [...(schema.type as string[]), 'null'];
  else if (schema.type === undefined && !schema.enum) schema.type = ['string', 'null'];
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) {
    schema.enum = [...(schema.enum as unknown[]), null];
    if (schema.type === undefined) schema.type = ['string', 'null'];
  }
}
