import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * Checks HTTP responses against the service's own OpenAPI document (the live /docs-json), as a UI built from
 * that document would read them: the status must be documented for the operation, the content type listed,
 * the JSON body valid against the schema (with no field the schema does not declare), and every
 * Casetrail-specific header declared on that response.
 *
 * To pass, a route needs (src/common/http/api-docs.ts): `@ApiOperation`/`@ApiRead`/`@ApiCommand` with a
 * summary and operationId; `@ApiResponse({ status, type })` for each success (a DTO whose `@ApiProperty`s
 * name every field it returns, `nullable: true` where null can come back, the full `enum`); the error
 * statuses it answers (`ApiReadResponses` / `ApiCommandResponses` / `ApiErrorResponses(...)`); and the headers
 * it sends (`headers` on the response, e.g. ETag).
 */
export class OpenApiConformance {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: { method: string; path: string; pattern: RegExp; params: number }[] = [];

  constructor(private readonly doc: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema(closeObjects(structuredClone(doc)) as object, DOC_ID);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) {
        if (!METHODS.includes(method)) continue;
        const params = (path.match(/\{[^}]+\}/g) ?? []).length;
        const pattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`);
        this.routes.push({ method, path, pattern, params });
      }
    }
    // A literal segment wins over a parameter (/queues/me before /queues/{x}).
    this.routes.sort((a, b) => a.params - b.params || b.path.length - a.path.length);
  }

  /** The operation a request reached, or undefined when the document has no such route. */
  operationOf(method: string, url: string): { path: string; method: string } | undefined {
    const path = url.split('?')[0];
    const found = this.routes.find((r) => r.method === method.toLowerCase() && r.pattern.test(path));
    return found && { path: found.path, method: found.method };
  }

  /** Every way the response departs from the document (empty: it conforms). */
  check(method: string, url: string, status: number, headers: Headers, body: unknown, rawText: string): string[] {
    const route = this.operationOf(method, url);
    if (!route) return [];
    const where = `${method.toUpperCase()} ${route.path} → ${status}`;
    const operation = this.doc.paths[route.path][route.method] as Operation;
    const key = operation.responses[String(status)] ? String(status) : `${String(status)[0]}XX`;
    const response = operation.responses[key] ?? operation.responses.default;
    if (!response) return [`${where}: status ${status} is not documented (documented: ${Object.keys(operation.responses).join(', ')})`];
    const problems: string[] = [];
    const declared = new Set(Object.keys(response.headers ?? {}).map((h) => h.toLowerCase()));
    for (const name of CHECKED_HEADERS)
      if (headers.has(name) && !declared.has(name)) problems.push(`${where}: header ${name} is sent but not declared`);
    const contentType = (headers.get('content-type') ?? '').split(';')[0].trim();
    if (rawText === '' || status === 204) return problems;
    const media =
      response.content?.[contentType] ?? (contentType.startsWith('application/') ? undefined : response.content?.['text/plain']);
    if (!response.content || !media) {
      problems.push(
        `${where}: content type ${contentType || '(none)'} is not documented (${Object.keys(response.content ?? {}).join(', ') || 'no content'})`,
      );
      return problems;
    }
    if (!contentType.includes('json')) return problems;
    const pointer = ['paths', route.path, route.method, 'responses', key, 'content', contentType, 'schema'].map(escape).join('/');
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${DOC_ID}#/${pointer}` });
      this.validators.set(pointer, validate);
    }
    if (!validate(body))
      for (const e of validate.errors ?? [])
        problems.push(
          `${where}: body${e.instancePath} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`,
        );
    return problems;
  }
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, unknown>;
}

interface Operation {
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema?: unknown }> } | undefined>;
}

const DOC_ID = 'casetrail-openapi.json';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
/** The headers this service chooses to send: each must be declared where it is sent. */
const CHECKED_HEADERS = [
  'etag',
  'location',
  'retry-after',
  'x-casetrail-position',
  'x-casetrail-integrity',
  'x-casetrail-key-id',
  'x-casetrail-stale',
  'idempotent-replayed',
  'content-disposition',
];
const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Every object schema that lists its properties refuses others (`unevaluatedProperties: false`, which sees
 * through allOf/anyOf), unless it says what extra properties may hold: an undeclared field fails.
 */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) node.forEach(closeObjects);
  else if (node && typeof node === 'object') {
    const schema = node as Record<string, unknown>;
    for (const value of Object.values(schema)) closeObjects(value);
    if (schema.properties && typeof schema.properties === 'object' && !('additionalProperties' in schema))
      schema.unevaluatedProperties = false;
  }
  return node;
}
