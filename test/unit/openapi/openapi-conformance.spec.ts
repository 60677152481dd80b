import { toJsonSchema2020 } from '../../../src/common/http/openapi-document';
import { OpenApiConformance, OpenApiDocument } from '../../support/openapi-conformance';

const json = (headers: Record<string, string> = {}) => new Headers({ 'content-type': 'application/json; charset=utf-8', ...headers });

/** A small 3.1 document: one read with a nullable money field, ETag declared, 404 documented. */
const doc: OpenApiDocument = {
  openapi: '3.1.0',
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          '200': {
            headers: { ETag: { schema: { type: 'string' } } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          '404': { content: { 'application/json': { schema: { type: 'object', properties: { message: { type: 'string' } } } } } },
        },
      },
    },
    '/things/mine': { get: { responses: { '200': { content: { 'text/plain': { schema: { type: 'string' } } } } } } },
  },
  components: {
    schemas: {
      Money: { type: 'object', properties: { amount: { type: 'integer' } }, required: ['amount'] },
      Thing: {
        type: 'object',
        properties: { id: { type: 'string' }, price: { anyOf: [{ $ref: '#/components/schemas/Money' }, { type: 'null' }] } },
        required: ['id', 'price'],
      },
    },
  },
};

describe('OpenApiConformance (the check every integration test response goes through)', () => {
  const check = new OpenApiConformance(doc);
  const get = (url: string, status: number, body: unknown, headers = json()) =>
    check.check('GET', url, status, headers, body, typeof body === 'string' ? body : JSON.stringify(body));

  it('accepts a response as documented, null included where the schema allows it', () => {
    expect(get('/things/1', 200, { id: '1', price: null }, json({ etag: '"1"' }))).toEqual([]);
    expect(get('/things/1', 200, { id: '1', price: { amount: 5 } })).toEqual([]);
    expect(get('/things/mine', 200, 'hello', new Headers({ 'content-type': 'text/plain' }))).toEqual([]);
  });

  it('refuses an undocumented status, field, header or content type, and a wrong type', () => {
    expect(get('/things/1', 409, { message: 'no' })).toEqual([expect.stringMatching(/status 409 is not documented/)]);
    expect(get('/things/1', 200, { id: '1', price: null, extra: true })).toEqual([expect.stringMatching(/unevaluated properties.*extra/)]);
    expect(get('/things/1', 200, { id: '1', price: { amount: 5, currency: 'CNY' } })).toEqual(
      expect.arrayContaining([expect.stringMatching(/price.*unevaluated properties.*currency/)]),
    );
    expect(get('/things/1', 200, { id: '1', price: { amount: 1.5 } }).join()).toMatch(/must be integer/);
    expect(get('/things/1', 404, { message: 'x' }, json({ 'retry-after': '3' }))).toEqual([
      expect.stringMatching(/header retry-after is sent but not declared/),
    ]);
    expect(get('/things/1', 200, '<html>', new Headers({ 'content-type': 'text/html' }))).toEqual([
      expect.stringMatching(/content type text\/html is not documented/),
    ]);
  });

  it('matches a literal segment before a parameter, and ignores routes the document does not have', () => {
    expect(check.operationOf('GET', '/things/mine?x=1')).toEqual({ path: '/things/mine', method: 'get' });
    expect(check.operationOf('GET', '/things/7')).toEqual({ path: '/things/{id}', method: 'get' });
    expect(get('/elsewhere', 500, 'boom')).toEqual([]);
  });
});

describe('toJsonSchema2020 (3.0 nullable → 3.1)', () => {
  it('turns a nullable $ref (as @nestjs/swagger writes it) into anyOf [ref, null]', () => {
    const schema = { type: 'object', nullable: true, allOf: [{ $ref: '#/components/schemas/Money' }], description: 'd' };
    toJsonSchema2020(schema);
    expect(schema).toEqual({ description: 'd', anyOf: [{ $ref: '#/components/schemas/Money' }, { type: 'null' }] });
  });

  it('adds null to a nullable type and to its enum, and leaves other schemas alone', () => {
    const props = {
      a: { type: 'string', nullable: true },
      b: { type: 'string', enum: ['x', 'y'], nullable: true },
      c: { type: 'integer' },
      d: { type: 'string', nullable: false },
    };
    toJsonSchema2020(props);
    expect(props).toEqual({
      a: { type: ['string', 'null'] },
      b: { type: ['string', 'null'], enum: ['x', 'y', null] },
      c: { type: 'integer' },
      d: { type: 'string' },
    });
  });
});
