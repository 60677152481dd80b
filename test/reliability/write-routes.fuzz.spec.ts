import fc from 'fast-check';
import { ACTIONS, DisputeCommandType } from '../../src/disputes/domain/dispute.commands';
import { Role } from '../../src/shared/actor';
import { fileBody, tokenFor } from '../support/http-client';
import { useTestApp } from '../support/test-app';

/**
 * Fuzzing every write route (issue #7) with malformed and hostile bodies, sent with a valid token of a role
 * the route allows: never a 5xx, always the API's error body, nothing written, Object.prototype untouched.
 * Every generated body is invalid by construction (each one carries at least one defect the contract
 * refuses), so any 2xx is a finding too. Bounded: NUM_RUNS per route, loopback only.
 */
const NUM_RUNS = 100;
jest.setTimeout(120_000);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type FieldKind = 'string' | 'enum' | 'iso' | 'boolean' | 'int' | 'money';
interface Field {
  kind: FieldKind;
  required: boolean;
  max?: number;
}
interface Route {
  command: DisputeCommandType;
  path: (disputeId: string, compensationId: string) => string;
  valid: () => Record<string, Json>;
  fields: Record<string, Field>;
}

const s = (max: number, required = true): Field => ({ kind: 'string', required, max });
const e = (required = true): Field => ({ kind: 'enum', required });
const iso = (required = true): Field => ({ kind: 'iso', required });
const b = (): Field => ({ kind: 'boolean', required: false });
const money = (): Field => ({ kind: 'money', required: false });
const ID = 200;
const TEXT = 4000;

const ROUTES: Route[] = [
  {
    command: 'FileDispute',
    path: () => '/api/v1/disputes',
    valid: () => fileBody() as Record<string, Json>,
    fields: {
      customerId: s(ID),
      orderId: s(ID),
      productSku: s(ID),
      channel: e(),
      category: e(),
      description: s(TEXT),
      purchasedAt: iso(),
      deliveredAt: iso(false),
      requestedRemedy: e(),
      amountClaimed: money(),
      proofOfPurchase: b(),
      defectCode: s(ID, false),
      itemIntact: b(),
      priority: e(false),
    },
  },
  {
    command: 'AcknowledgeDispute',
    path: (id) => `/api/v1/disputes/${id}/acknowledge`,
    valid: () => ({ message: 'we are on it' }),
    fields: { message: s(TEXT), complex: b(), respondedAt: iso(false) },
  },
  {
    command: 'AssignDispute',
    path: (id) => `/api/v1/disputes/${id}/assign`,
    valid: () => ({ agentId: 'agent-9', department: 'after-sales' }),
    fields: { agentId: s(ID), department: s(ID) },
  },
  {
    command: 'NegotiateDispute',
    path: (id) => `/api/v1/disputes/${id}/negotiations`,
    valid: () => ({ action: 'offer', party: 'merchant', remedy: 'coupon', amount: { amount: 500, currency: 'CNY' }, note: 'n' }),
    fields: { action: e(), party: e(), remedy: e(false), amount: money(), note: s(TEXT, false) },
  },
  {
    command: 'EscalateDispute',
    path: (id) => `/api/v1/disputes/${id}/escalations`,
    valid: () => ({ forum: 'mediation', institution: 'consumer association', reason: 'no agreement' }),
    fields: { forum: e(), institution: s(ID), reason: s(TEXT) },
  },
  {
    command: 'RecordOutcome',
    path: (id) => `/api/v1/disputes/${id}/outcomes`,
    valid: () => ({ forum: 'mediation', result: 'settled', amount: { amount: 900, currency: 'CNY' }, terms: 't' }),
    fields: { forum: e(), result: e(), amount: money(), terms: s(TEXT, false) },
  },
  {
    command: 'ProposeCompensation',
    path: (id) => `/api/v1/disputes/${id}/compensations`,
    valid: () => ({ type: 'refund', amount: { amount: 900, currency: 'CNY' }, reason: 'r' }),
    fields: { type: e(), amount: money(), reason: s(TEXT) },
  },
  {
    command: 'ApproveCompensation',
    path: (id, c) => `/api/v1/disputes/${id}/compensations/${c}/approve`,
    valid: () => ({ note: 'ok' }),
    fields: { note: s(TEXT, false) },
  },
  {
    command: 'DeclineCompensation',
    path: (id, c) => `/api/v1/disputes/${id}/compensations/${c}/decline`,
    valid: () => ({ reason: 'no' }),
    fields: { reason: s(TEXT) },
  },
  {
    command: 'PayCompensation',
    path: (id, c) => `/api/v1/disputes/${id}/compensations/${c}/pay`,
    valid: () => ({ paymentReference: 'p-1' }),
    fields: { paymentReference: s(ID, false) },
  },
  {
    command: 'RejectDispute',
    path: (id) => `/api/v1/disputes/${id}/reject`,
    valid: () => ({ reason: 'out of policy' }),
    fields: { reason: s(TEXT) },
  },
  {
    command: 'WithdrawDispute',
    path: (id) => `/api/v1/disputes/${id}/withdraw`,
    valid: () => ({ reason: 'customer withdrew' }),
    fields: { reason: s(TEXT) },
  },
  {
    command: 'CloseDispute',
    path: (id) => `/api/v1/disputes/${id}/close`,
    valid: () => ({ resolution: 'resolved' }),
    fields: { resolution: s(TEXT) },
  },
  {
    command: 'ReopenDispute',
    path: (id) => `/api/v1/disputes/${id}/reopen`,
    valid: () => ({ reason: 'again' }),
    fields: { reason: s(TEXT) },
  },
  {
    command: 'RecordFeedback',
    path: (id) => `/api/v1/disputes/${id}/feedback`,
    valid: () => ({ score: 4, comment: 'fine' }),
    fields: { score: { kind: 'int', required: true }, comment: s(TEXT, false) },
  },
];

/** A body as raw text (so that NaN, Infinity, duplicate keys and broken JSON can be sent) and its content type. */
interface Payload {
  label: string;
  text: string;
  contentType?: string;
}

/** Refused today: `__proto__` by Fastify's JSON parser, the others by forbidNonWhitelisted. */
const HOSTILE_KEYS = ['__proto__', 'then', '__v', '$where', '$ne', 'isAdmin', 'roles'];
/** Silently dropped today instead of refused (see the KNOWN BUG test below), so kept out of the property. */
const OBJECT_PROTOTYPE_KEYS = [
  'constructor',
  'prototype',
  'valueOf',
  'toString',
  'hasOwnProperty',
  '__defineGetter__',
  'isPrototypeOf',
  'toLocaleString',
];
const unicode = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });
const shortJson: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;

/** A value that the field's validator refuses, whatever the rest of the body. */
function wrongValue(field: Field): fc.Arbitrary<{ label: string; json: string }> {
  const lit = (label: string, arb: fc.Arbitrary<Json>) => arb.map((v) => ({ label, json: JSON.stringify(v) }));
  const raw = (label: string, arb: fc.Arbitrary<string>) => arb.map((json) => ({ label, json }));
  const nested = fc
    .integer({ min: 2, max: 1000 })
    .map((depth) => ({ label: `nested object ${depth} deep`, json: `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` }));
  const nestedArray = fc
    .integer({ min: 2, max: 1000 })
    .map((depth) => ({ label: `nested array ${depth} deep`, json: `${'['.repeat(depth)}${']'.repeat(depth)}` }));
  const nonFinite = raw('NaN/Infinity', fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '-1e999'));
  const objects = fc.oneof(nested, lit('object', fc.dictionary(fc.string({ maxLength: 8 }), shortJson, { minKeys: 0, maxKeys: 4 })));
  const arrays = fc.oneof(nestedArray, lit('array', fc.array(shortJson, { maxLength: 4 })));
  switch (field.kind) {
    case 'string': {
      const tooLong = fc.integer({ min: (field.max ?? TEXT) + 1, max: 300_000 }).chain(
        (n) =>
          fc
            .constantFrom('x', 'é', '😀', '\u0000')
            .map((ch) => ({ label: `string of ${n} × ${JSON.stringify(ch)}`, json: JSON.stringify(ch.repeat(n)) })), // n characters however counted (validator.js counts a surrogate pair as one)
      );
      const empty = field.required ? [lit('empty string', fc.constant(''))] : [];
      return fc.oneof(
        lit('number', fc.double({ noNaN: true, noDefaultInfinity: true })),
        lit('boolean', fc.boolean()),
        objects,
        arrays,
        tooLong,
        nonFinite,
        ...empty,
      );
    }
    case 'enum':
      return fc.oneof(
        lit('unicode for an enum', unicode),
        lit('number', fc.integer()),
        lit('boolean', fc.boolean()),
        objects,
        arrays,
        lit('empty', fc.constant('')),
        nonFinite,
      );
    case 'iso':
      return fc.oneof(
        lit('unicode for a date', unicode),
        lit('not a strict date', fc.constantFrom('2026-13-01T00:00:00Z', '2026-01-01 00:00:00', 'yesterday', '0', '2026-02-30T00:00:00Z')),
        lit('number', fc.integer()),
        objects,
        arrays,
        nonFinite,
      );
    case 'boolean':
      return fc.oneof(
        lit('boolean as string', fc.constantFrom('true', 'false', '1', '')),
        lit('number', fc.constantFrom(0, 1)),
        objects,
        arrays,
      );
    case 'int':
      return fc.oneof(
        lit('number as string', fc.integer({ min: 1, max: 5 }).map(String)),
        lit('out of range', fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 6 }))),
        lit(
          'fraction',
          fc.double({ min: 1.01, max: 4.99, noNaN: true }).filter((x) => !Number.isInteger(x)),
        ),
        lit('boolean', fc.boolean()),
        objects,
        arrays,
        nonFinite,
      );
    case 'money':
      // Arrays here are left to the KNOWN BUG test below: class-validator's ValidateNested accepts an array of valid Money.
      return fc.oneof(
        lit(
          'money amount as string',
          fc.integer({ min: 0, max: 10_000 }).map((a) => ({ amount: String(a), currency: 'CNY' })),
        ),
        lit(
          'money with another currency',
          fc.constantFrom('USD', 'cny', '', 'CN¥').map((currency) => ({ amount: 100, currency })),
        ),
        lit(
          'money negative or fractional',
          fc
            .oneof(
              fc.integer({ max: -1 }),
              fc.double({ min: 0.01, max: 99.99, noNaN: true }).filter((x) => !Number.isInteger(x)),
            )
            .map((amount) => ({ amount, currency: 'CNY' })),
        ),
        lit('money with an extra key', fc.constant({ amount: 100, currency: 'CNY', rate: 7 })),
        lit('money as string', unicode),
        lit('money as boolean', fc.boolean()),
        raw(
          'money amount NaN/Infinity',
          fc.constantFrom('NaN', 'Infinity', '1e999').map((x) => `{"amount":${x},"currency":"CNY"}`),
        ),
        nested,
      );
  }
}

/** Serializes a body with one member's JSON text replaced or added verbatim (keeps hostile text intact). */
function withMember(body: Record<string, Json>, key: string, json: string): string {
  const members = Object.entries(body)
    .filter(([k]) => k !== key)
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  members.push(`${JSON.stringify(key)}:${json}`);
  return `{${members.join(',')}}`;
}

function hostilePayload(route: Route): fc.Arbitrary<Payload> {
  const names = Object.keys(route.fields);
  const required = names.filter((n) => route.fields[n].required);
  const body = route.valid();
  const strategies: fc.Arbitrary<Payload>[] = [
    // a wrong type / out-of-range / hostile value in one field
    fc
      .constantFrom(...names)
      .chain((name) => wrongValue(route.fields[name]).map((w) => ({ label: `${name}: ${w.label}`, text: withMember(body, name, w.json) }))),
    // an unknown member: prototype-pollution keys, unicode names, any value
    fc
      .tuple(
        fc.oneof(
          fc.constantFrom(...HOSTILE_KEYS),
          unicode.filter((k) => !names.includes(k) && !OBJECT_PROTOTYPE_KEYS.includes(k)),
        ),
        fc.oneof(shortJson, fc.constant({ polluted: 'yes', isAdmin: true } as Json)),
      )
      .map(([key, value]) => ({ label: `unknown member ${JSON.stringify(key)}`, text: withMember(body, key, JSON.stringify(value)) })),
    // nested prototype-pollution attempts inside an object-valued member
    fc
      .constantFrom(...HOSTILE_KEYS, ...OBJECT_PROTOTYPE_KEYS)
      .map((key) => ({ label: `nested ${key}`, text: withMember(body, 'extra', `{${JSON.stringify(key)}:{"polluted":"yes"}}`) })),
    // the whole body is not an object
    fc.oneof(
      // A JSON `null` body counts as no body (like `{}`): valid where every member is optional, so only sent elsewhere.
      shortJson
        .filter((v) => (v === null ? required.length > 0 : typeof v !== 'object' || Array.isArray(v)))
        .map((v) => ({ label: 'non-object body', text: JSON.stringify(v) })),
      fc.constant({ label: 'array of valid bodies', text: JSON.stringify([body, body]) }),
      fc.integer({ min: 2, max: 1000 }).map((d) => ({ label: `body nested ${d} deep`, text: `${'['.repeat(d)}${']'.repeat(d)}` })),
    ),
    // broken JSON text
    fc.constantFrom(
      { label: 'truncated JSON', text: JSON.stringify(body).slice(0, -1) },
      { label: 'trailing comma', text: `${JSON.stringify(body).slice(0, -1)},}` },
      { label: 'single quotes', text: JSON.stringify(body).replace(/"/g, "'") },
      { label: 'comment', text: `/* x */${JSON.stringify(body)}` },
      { label: 'empty body', text: '' },
      { label: 'BOM + garbage', text: '\uFEFF{garbage' },
      { label: 'lone surrogate key', text: `{"\\ud800":1}` },
      { label: 'over the 1 MB body limit', text: withMember(body, 'padding', JSON.stringify('x'.repeat(1_100_000))) },
    ),
    // right JSON, wrong content types
    fc
      .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x')
      .map((contentType) => ({
        label: `content-type ${contentType}`,
        text: JSON.stringify(body),
        contentType,
      })),
  ];
  if (required.length > 0) {
    // missing required members (one or all), the rest hostile unicode where it is still valid
    strategies.push(
      fc.subarray(required, { minLength: 1 }).map((missing) => ({
        label: `missing ${missing.join(', ')}`,
        text: JSON.stringify(Object.fromEntries(Object.entries(body).filter(([k]) => !missing.includes(k)))),
      })),
      // duplicate keys: the last one (invalid) wins in JSON.parse
      fc.constantFrom(...required).map((name) => ({
        label: `duplicate ${name}`,
        text: `${JSON.stringify(body).slice(0, -1)},${JSON.stringify(name)}:{"$ne":null}}`,
      })),
    );
  }
  return fc.oneof(...strategies);
}

const t = useTestApp();
let disputeId: string;
let compensationId: string;
const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
const SUPERVISOR = tokenFor('supervisor', 'sup-fuzz');
const AGENT = tokenFor('agent', 'agent-fuzz');

async function send(path: string, payload: Payload, role: Role) {
  const response = await fetch(`${t.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokenFor(role, `${role}-fuzz`)}`, 'content-type': payload.contentType ?? 'application/json' },
    body: payload.text,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* asserted below */
  }
  return { status: response.status, body: body as Record<string, unknown>, text };
}

async function headPosition(): Promise<number> {
  const health = await t.http.get('/health');
  return health.body.eventStore.headPosition as number;
}
async function eventCount(): Promise<number> {
  const r = await t.http.get(`/api/v1/disputes/${disputeId}/events`, SUPERVISOR);
  expect(r.status).toBe(200);
  return r.body.items.length as number;
}
async function filings(): Promise<number> {
  const r = await t.http.get('/api/v1/disputes?limit=200', SUPERVISOR);
  expect(r.status).toBe(200);
  return r.body.items.length as number;
}

beforeAll(async () => {
  // A dispute with a compensation waiting for approval, so that every route has a real target.
  const filed = await t.http.post('/api/v1/disputes', AGENT, fileBody({ customerId: 'fuzz-target' }));
  disputeId = filed.body.id;
  await t.http.post(`/api/v1/disputes/${disputeId}/acknowledge`, AGENT, { message: 'hi' });
  const proposed = await t.http.post(`/api/v1/disputes/${disputeId}/compensations`, AGENT, {
    type: 'refund',
    amount: { amount: 900_000, currency: 'CNY' },
    reason: 'r',
  });
  expect(proposed.status).toBe(201);
  compensationId = proposed.body.compensationId;
});

describe('fuzzing every write route with hostile bodies', () => {
  it.each(ROUTES.map((r) => [r.command, r] as const))('%s: never 5xx, always the error body, nothing written', async (_, route) => {
    const roles = ACTIONS[route.command].roles;
    const head = await headPosition();
    const events = await eventCount();
    const listed = await filings();
    const path = route.path(disputeId, compensationId);
    await fc.assert(
      fc.asyncProperty(hostilePayload(route), fc.constantFrom(...roles), async (payload, role) => {
        const r = await send(path, payload, role);
        const context = `${payload.label} → ${r.status} ${r.text.slice(0, 300)}`;
        if (r.status < 400 || r.status >= 500) throw new Error(`expected a 4xx: ${context}`);
        if (
          typeof r.body !== 'object' ||
          r.body === null ||
          r.body.statusCode !== r.status ||
          typeof r.body.error !== 'string' ||
          typeof r.body.message !== 'string'
        ) {
          throw new Error(`not the API's error body: ${context}`);
        }
        if ((await headPosition()) !== head) throw new Error(`an event was written: ${context}`);
      }),
      { numRuns: NUM_RUNS, endOnFailure: true },
    );
    expect(await headPosition()).toBe(head);
    expect(await eventCount()).toBe(events);
    expect(await filings()).toBe(listed);
  });

  it('leaves Object.prototype unpolluted', () => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    const probe = {} as Record<string, unknown>;
    expect(probe.polluted).toBeUndefined();
    expect(probe.isAdmin).toBeUndefined();
    expect(typeof Object.prototype.toString).toBe('function');
    expect(typeof Object.prototype.hasOwnProperty).toBe('function');
  });
});

/**
 * Bugs this fuzzing found (issue #7), now fixed: src/common/http/body-shape.guard.ts refuses hostile nesting and
 * prototype-shadowing names before validation, and every Money field is @IsObject (no arrays).
 */
describe('bugs this fuzzing found, fixed', () => {
  it('deeply nested JSON (10,000 levels, well under the 1 MB limit) answers 400, not 500', async () => {
    // Nest's ValidationPipe.stripProtoKeys recurses per level and overflows the stack (RangeError → 500).
    // Fix: refuse bodies nested deeper than e.g. 64 levels in a Fastify preValidation hook / content-type parser.
    const head = await headPosition();
    for (const text of [
      `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
      withMember({ reason: 'r' }, 'x', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`),
    ]) {
      const r = await send(`/api/v1/disputes/${disputeId}/withdraw`, { label: 'deep', text }, 'agent');
      expect(r.status).toBe(400);
    }
    expect(await headPosition()).toBe(head);
  });

  it('an array where a money object is expected is refused with 400', async () => {
    // `amountClaimed: [{ amount: 1, currency: "CNY" }]` or `[]` passes @ValidateNested (it validates array items)
    // and is stored in DisputeFiled as an array. Fix: @IsObject() (which excludes arrays) beside @ValidateNested on
    // every Money field of dispute.dto.ts (amountClaimed, NegotiateDto.amount, OutcomeDto.amount, ProposeCompensationDto.amount).
    const listed = await filings();
    const r = await send(
      '/api/v1/disputes',
      { label: 'array money', text: JSON.stringify({ ...fileBody({ customerId: 'fuzz-array-money' }), amountClaimed: [] }) },
      'agent',
    );
    expect(r.status).toBe(400);
    expect(await filings()).toBe(listed);
  });

  it('unknown members named like Object.prototype members (constructor, valueOf, ...) are refused with 400', async () => {
    // class-transformer skips keys under which the DTO instance already has a function (constructor, toString,
    // valueOf, ...) and `prototype`, so forbidNonWhitelisted never sees them: the member is dropped and the command
    // runs (2xx, events written) although API.md / dispute.dto.ts say unknown fields are refused. Nothing is stored
    // from them and Object.prototype stays clean (asserted above), so this is a contract gap, not a pollution.
    // Fix: in createValidationPipe, refuse own keys of the raw body that are not DTO properties before transforming.
    for (const key of OBJECT_PROTOTYPE_KEYS) {
      const r = await send(
        `/api/v1/disputes/${disputeId}/assign`,
        { label: key, text: withMember({ agentId: 'agent-9', department: 'after-sales' }, key, '"x"') },
        'supervisor',
      );
      expect(r.status).toBe(400);
    }
  });
});
