import { fileBody, tokenFor } from '../support/http-client';
import { useTestApp } from '../support/test-app';

/**
 * Issue #12, finding 6 (input): each case was reproduced against the service before the fix (500, or 2xx with
 * the hostile value stored) and is refused now with a 4xx naming what is wrong, writing nothing.
 */
const t = useTestApp();
const SUPERVISOR = tokenFor('supervisor', 'sup-sec');
const MANAGER = tokenFor('manager', 'mgr-sec');
const ADMIN = tokenFor('admin', 'admin-sec');

let disputeId: string;
let compensationId: string;
/** A second dispute that stays open to negotiation, for the requests that must succeed. */
let openId: string;

async function headPosition(): Promise<number> {
  return (await t.http.get('/health')).body.eventStore.headPosition as number;
}
async function etag(id = disputeId): Promise<string | null> {
  const r = await t.http.get(`/api/v1/disputes/${id}`, SUPERVISOR);
  expect(r.status).toBe(200);
  return r.headers.get('etag');
}
/** Runs `send`, and asserts that neither the log's head nor the dispute's version moved. */
async function writesNothing<T>(send: () => Promise<T>): Promise<T> {
  const [head, version] = [await headPosition(), await etag()];
  const result = await send();
  expect(await headPosition()).toBe(head);
  expect(await etag()).toBe(version);
  return result;
}
const fieldsOf = (body: { details?: { field: string }[] }) => (body.details ?? []).map((d) => d.field);

beforeAll(async () => {
  const filed = await t.http.post('/api/v1/disputes', SUPERVISOR, fileBody({ customerId: 'sec-target' }));
  expect(filed.status).toBe(201);
  disputeId = filed.body.id;
  expect((await t.http.post(`/api/v1/disputes/${disputeId}/acknowledge`, SUPERVISOR, { message: 'hi' })).status).toBe(200);
  // Above the supervisor's limit: waits for a manager, so approve/decline/pay have a real target.
  const proposed = await t.http.post(`/api/v1/disputes/${disputeId}/compensations`, SUPERVISOR, {
    type: 'refund',
    amount: { amount: 90_000, currency: 'CNY' },
    reason: 'r',
  });
  expect(proposed.status).toBe(201);
  expect(proposed.body.compensationStatus).toBe('pending_approval');
  compensationId = proposed.body.compensationId;
  openId = (await t.http.post('/api/v1/disputes', SUPERVISOR, fileBody({ customerId: 'sec-open' }))).body.id;
  expect((await t.http.post(`/api/v1/disputes/${openId}/acknowledge`, SUPERVISOR, { message: 'hi' })).status).toBe(200);
});
const offer = (extra: Record<string, unknown> = {}) => ({ action: 'offer', party: 'merchant', remedy: 'coupon', ...extra });

/** Every write route of the disputes API with a valid body (for the route's own sake), and its optional members. */
const routes = (): { path: string; body: Record<string, unknown>; optional: string[] }[] => [
  {
    path: '/api/v1/disputes',
    body: fileBody({ customerId: 'sec-new' }),
    optional: ['deliveredAt', 'amountClaimed', 'proofOfPurchase', 'defectCode', 'itemIntact', 'priority'],
  },
  {
    path: `/api/v1/disputes/${disputeId}/acknowledge`,
    body: { message: 'again' },
    optional: ['complex', 'estimatedResolutionAt', 'plan', 'respondedAt'],
  },
  { path: `/api/v1/disputes/${disputeId}/assign`, body: { agentId: 'agent-9', department: 'after-sales' }, optional: [] },
  {
    path: `/api/v1/disputes/${disputeId}/negotiations`,
    body: { action: 'offer', party: 'merchant', remedy: 'refund', amount: { amount: 500, currency: 'CNY' }, note: 'n' },
    optional: ['remedy', 'amount', 'note'],
  },
  {
    path: `/api/v1/disputes/${disputeId}/escalations`,
    body: { forum: 'mediation', institution: 'consumer association', reason: 'no agreement' },
    optional: [],
  },
  {
    path: `/api/v1/disputes/${disputeId}/outcomes`,
    body: { forum: 'mediation', result: 'settled', amount: { amount: 900, currency: 'CNY' }, terms: 't' },
    optional: ['amount', 'terms'],
  },
  {
    path: `/api/v1/disputes/${disputeId}/compensations`,
    body: { type: 'refund', amount: { amount: 900, currency: 'CNY' }, reason: 'r' },
    optional: ['amount'],
  },
  { path: `/api/v1/disputes/${disputeId}/compensations/${compensationId}/approve`, body: { note: 'ok' }, optional: ['note'] },
  { path: `/api/v1/disputes/${disputeId}/compensations/${compensationId}/decline`, body: { reason: 'no' }, optional: [] },
  {
    path: `/api/v1/disputes/${disputeId}/compensations/${compensationId}/pay`,
    body: { paymentReference: 'p-1' },
    optional: ['paymentReference'],
  },
  { path: `/api/v1/disputes/${disputeId}/reject`, body: { reason: 'out of policy' }, optional: [] },
  { path: `/api/v1/disputes/${disputeId}/withdraw`, body: { reason: 'customer withdrew' }, optional: [] },
  { path: `/api/v1/disputes/${disputeId}/close`, body: { resolution: 'resolved' }, optional: [] },
  { path: `/api/v1/disputes/${disputeId}/reopen`, body: { reason: 'again' }, optional: [] },
  { path: `/api/v1/disputes/${disputeId}/feedback`, body: { score: 4, comment: 'fine' }, optional: ['comment'] },
  { path: '/api/v1/sla/breaches', body: { disputeId: 'x', kind: 'resolution', note: 'late' }, optional: [] },
];

describe('null where a value is expected', () => {
  it('amount: null on a compensation or a negotiation is a 400 naming amount (was a 500)', async () => {
    for (const [path, body, token] of [
      [`/api/v1/disputes/${disputeId}/compensations`, { type: 'refund', amount: null, reason: 'r' }, MANAGER],
      [`/api/v1/disputes/${disputeId}/compensations`, { type: 'refund', amount: null, reason: 'r' }, SUPERVISOR],
      [`/api/v1/disputes/${disputeId}/negotiations`, { action: 'offer', party: 'merchant', remedy: 'refund', amount: null }, SUPERVISOR],
      [`/api/v1/disputes/${disputeId}/outcomes`, { forum: 'mediation', result: 'settled', amount: null }, SUPERVISOR],
    ] as const) {
      const r = await writesNothing(() => t.http.post(path, token, body));
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(fieldsOf(r.body)).toContain('amount');
      expect(r.body.message).toMatch(/amount must not be null/);
    }
  });

  it('every optional member given as null is a 400 naming it, on every write route', async () => {
    for (const route of routes()) {
      for (const field of route.optional) {
        const r = await writesNothing(() => t.http.post(route.path, SUPERVISOR, { ...route.body, [field]: null }));
        if (r.status !== 400 || !fieldsOf(r.body).includes(field))
          throw new Error(`${route.path} ${field}: null → ${r.status} ${JSON.stringify(r.body)}`);
      }
    }
  });

  it('every required member given as null is a 400 naming it', async () => {
    for (const route of routes()) {
      for (const field of Object.keys(route.body).filter((f) => !route.optional.includes(f))) {
        const r = await writesNothing(() => t.http.post(route.path, SUPERVISOR, { ...route.body, [field]: null }));
        if (r.status !== 400 || !fieldsOf(r.body).includes(field))
          throw new Error(`${route.path} ${field}: null → ${r.status} ${JSON.stringify(r.body)}`);
      }
    }
  });

  it('null inside a money object, and in the SLA bodies, is a 400 too', async () => {
    const money = await writesNothing(() =>
      t.http.post(`/api/v1/disputes/${disputeId}/compensations`, MANAGER, {
        type: 'refund',
        amount: { amount: null, currency: 'CNY' },
        reason: 'r',
      }),
    );
    expect(money.status).toBe(400);
    expect(fieldsOf(money.body)).toContain('amount.amount');
    const window = await writesNothing(() =>
      t.http.post('/api/v1/sla/peak-windows', ADMIN, { start: null, end: '2030-01-02T00:00:00Z', extensionPercent: 10, reason: 'sale' }),
    );
    expect(window.status).toBe(400);
    expect(fieldsOf(window.body)).toContain('start');
    // PUT /sla/policy takes an untyped body: a JSON null there was a 500.
    for (const body of [null, [], 'x', 7]) {
      const policy = await writesNothing(() => t.http.call('PUT', '/api/v1/sla/policy', { token: ADMIN, body }));
      expect(policy.status).toBe(400);
      expect(policy.body.message).toBe('the body must be a JSON object');
    }
  });
});

describe('JSON only on write routes', () => {
  const form = (body: Record<string, unknown>) =>
    new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)])).toString();

  it('form-encoded bodies are refused with 415 naming application/json, on every write route, writing nothing (were accepted and written)', async () => {
    for (const route of [
      ...routes(),
      { path: `/api/v1/sla/breaches/b-1/confirm`, body: { reason: 'r' } },
      { path: '/api/v1/sla/peak-windows', body: { reason: 'r' } },
    ]) {
      const r = await writesNothing(() =>
        t.http.call('POST', route.path, {
          token: SUPERVISOR,
          raw: form(route.body),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      );
      if (r.status !== 415) throw new Error(`${route.path}: form → ${r.status} ${JSON.stringify(r.body)}`);
      expect(r.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
      expect(r.body.message).toContain('application/json');
    }
  });

  it('a form-encoded withdrawal that used to withdraw the dispute writes nothing now', async () => {
    const r = await writesNothing(() =>
      t.http.call('POST', `/api/v1/disputes/${disputeId}/withdraw`, {
        token: SUPERVISOR,
        raw: 'reason=customer+withdrew',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    expect(r.status).toBe(415);
    expect((await t.http.get(`/api/v1/disputes/${disputeId}`, SUPERVISOR)).body.status).not.toBe('withdrawn');
  });

  it('text/plain, multipart, XML and a body without a content type are refused with 415; PUT too', async () => {
    const body = JSON.stringify({ reason: 'customer withdrew' });
    for (const contentType of [
      'text/plain',
      'text/plain; charset=utf-8',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/jsonx',
      'application/json-patch+json',
    ]) {
      const r = await writesNothing(() =>
        t.http.call('POST', `/api/v1/disputes/${disputeId}/withdraw`, {
          token: SUPERVISOR,
          raw: body,
          headers: { 'content-type': contentType },
        }),
      );
      if (r.status !== 415) throw new Error(`${contentType} → ${r.status} ${JSON.stringify(r.body)}`);
      expect(r.body.details).toEqual({ accepted: ['application/json'] });
    }
    const untyped = await writesNothing(() =>
      fetch(`${t.baseUrl}/api/v1/disputes/${disputeId}/withdraw`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SUPERVISOR}` },
        body: new Uint8Array(Buffer.from(body)),
      }),
    );
    expect(untyped.status).toBe(415);
    const put = await writesNothing(() =>
      t.http.call('PUT', '/api/v1/sla/policy', {
        token: ADMIN,
        raw: 'a=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    expect(put.status).toBe(415);
  });

  it('still takes application/json with parameters, and an empty POST without a content type', async () => {
    const typed = await t.http.call('POST', `/api/v1/disputes/${disputeId}/assign`, {
      token: SUPERVISOR,
      raw: JSON.stringify({ agentId: 'agent-7', department: 'after-sales' }),
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
    });
    expect(typed.status).toBe(200);
    // Every member of an approval is optional: no body at all is a valid approval.
    const empty = await t.http.call('POST', `/api/v1/disputes/${disputeId}/compensations/${compensationId}/approve`, { token: MANAGER });
    expect(empty.status).toBe(200);
    expect(empty.body.compensations.find((c: { compensationId: string }) => c.compensationId === compensationId).status).toBe('approved');
  });
});

describe('ids and text', () => {
  const HOSTILE: [string, string][] = [
    ['NUL', 'abc\u0000def'],
    ['a control character', 'abc\u0007'],
    ['escape (log and terminal injection)', '\u001b[31mred'],
    ['a C1 control', 'abc\u0085'],
    ['DEL', 'abc\u007f'],
    ['a bidi override', 'invoice-\u202Egpj.exe'],
    ['a bidi isolate', '\u2066abc\u2069'],
    ['only zero-width characters', '\u200B\u200C\u200D\uFEFF\u2060'],
    ['only whitespace', '   \u00a0 '],
    ['a lone surrogate', 'abc\ud800'],
  ];

  it('ids and short text fields refuse control, bidi, zero-width-only and whitespace-only strings with 400 naming the field', async () => {
    for (const field of ['customerId', 'orderId', 'productSku', 'defectCode']) {
      for (const [label, value] of HOSTILE) {
        const r = await writesNothing(() =>
          t.http.post('/api/v1/disputes', SUPERVISOR, fileBody({ customerId: 'sec-hostile', [field]: value })),
        );
        if (r.status !== 400 || !fieldsOf(r.body).includes(field))
          throw new Error(`${field} with ${label} → ${r.status} ${JSON.stringify(r.body)}`);
      }
    }
    for (const [path, field, body] of [
      [`/api/v1/disputes/${disputeId}/assign`, 'agentId', { agentId: '', department: 'after-sales' }],
      [`/api/v1/disputes/${disputeId}/assign`, 'department', { agentId: 'agent-1', department: '' }],
      [`/api/v1/disputes/${disputeId}/escalations`, 'institution', { forum: 'mediation', institution: '', reason: 'r' }],
      [`/api/v1/disputes/${disputeId}/compensations/${compensationId}/pay`, 'paymentReference', { paymentReference: '' }],
      ['/api/v1/sla/breaches', 'disputeId', { disputeId: '', kind: 'resolution', note: 'n' }],
    ] as const) {
      for (const [label, value] of HOSTILE) {
        const r = await writesNothing(() => t.http.post(path, SUPERVISOR, { ...body, [field]: value }));
        if (r.status !== 400 || !fieldsOf(r.body).includes(field))
          throw new Error(`${path} ${field} with ${label} → ${r.status} ${JSON.stringify(r.body)}`);
      }
    }
    const list = await t.http.get('/api/v1/disputes?customerId=sec-hostile', SUPERVISOR);
    expect(list.body.items).toHaveLength(0);
  });

  it('long free text refuses the same, except tab and line breaks', async () => {
    for (const [label, value] of HOSTILE) {
      const r = await writesNothing(() => t.http.post(`/api/v1/disputes/${disputeId}/withdraw`, SUPERVISOR, { reason: value }));
      if (r.status !== 400 || !fieldsOf(r.body).includes('reason'))
        throw new Error(`reason with ${label} → ${r.status} ${JSON.stringify(r.body)}`);
      const note = await writesNothing(() => t.http.post(`/api/v1/disputes/${disputeId}/negotiations`, SUPERVISOR, offer({ note: value })));
      if (note.status !== 400 || !fieldsOf(note.body).includes('note'))
        throw new Error(`note with ${label} → ${note.status} ${JSON.stringify(note.body)}`);
    }
    const multiline = await t.http.post(`/api/v1/disputes/${openId}/negotiations`, SUPERVISOR, offer({ note: 'line one\r\n\tline two' }));
    expect(multiline.status).toBe(200);
    // Right-to-left text and emoji are text, not hostile: only overrides and isolates are refused.
    const rtl = await t.http.post(`/api/v1/disputes/${openId}/negotiations`, SUPERVISOR, offer({ note: 'שלום \u200F مرحبا 😀 é' }));
    expect(rtl.status).toBe(200);
    // An empty optional note is still accepted, as before.
    expect((await t.http.post(`/api/v1/disputes/${openId}/negotiations`, SUPERVISOR, offer({ note: '' }))).status).toBe(200);
  });

  it('path ids (:id, :compensationId, :breachId) with control or bidi characters are a 400 naming the parameter', async () => {
    const bad = ['%00', 'abc%1B%5B31m', '%E2%80%AEabc', '%E2%80%8B', '%20'];
    for (const value of bad) {
      const id = await writesNothing(() => t.http.post(`/api/v1/disputes/${value}/withdraw`, SUPERVISOR, { reason: 'r' }));
      if (id.status !== 400 || !fieldsOf(id.body).includes('id')) throw new Error(`:id ${value} → ${id.status} ${JSON.stringify(id.body)}`);
      const compensation = await writesNothing(() =>
        t.http.post(`/api/v1/disputes/${disputeId}/compensations/${value}/approve`, MANAGER, {}),
      );
      if (compensation.status !== 400 || !fieldsOf(compensation.body).includes('compensationId'))
        throw new Error(`:compensationId ${value} → ${compensation.status} ${JSON.stringify(compensation.body)}`);
      const breach = await writesNothing(() => t.http.post(`/api/v1/sla/breaches/${value}/confirm`, SUPERVISOR, { reason: 'r' }));
      if (breach.status !== 400 || !fieldsOf(breach.body).includes('breachId'))
        throw new Error(`:breachId ${value} → ${breach.status} ${JSON.stringify(breach.body)}`);
    }
    expect((await t.http.get('/api/v1/disputes/%E2%80%AEabc', SUPERVISOR)).status).toBe(400);
  });
});

describe('correlation, causation and idempotency headers', () => {
  const HOSTILE_IDS = ['<script>alert(1)</script>', 'a b', 'x'.repeat(129), "'; DROP TABLE events; --", 'caf\u00e9', '../../etc/passwd%00'];

  async function lastEvent() {
    const r = await t.http.get(`/api/v1/disputes/${openId}/events`, SUPERVISOR);
    return r.body.items[r.body.items.length - 1];
  }

  it('an unsafe X-Causation-Id or X-Correlation-Id is never stored verbatim (was stored as sent)', async () => {
    for (const value of HOSTILE_IDS) {
      const r = await t.http.post(`/api/v1/disputes/${openId}/negotiations`, SUPERVISOR, offer(), {
        'x-causation-id': value,
        'x-correlation-id': value,
      });
      expect(r.status).toBe(200);
      const event = await lastEvent();
      expect(event.metadata.causationId).toBeNull();
      expect(event.metadata.correlationId).not.toBe(value);
      expect(event.metadata.correlationId).toMatch(/^[A-Za-z0-9._:@-]{1,128}$/);
      // The generated correlation id is the one echoed back.
      expect(r.headers.get('x-correlation-id')).toBe(event.metadata.correlationId);
    }
  });

  it('safe ids are kept as sent', async () => {
    const r = await t.http.post(`/api/v1/disputes/${openId}/negotiations`, SUPERVISOR, offer(), {
      'x-causation-id': 'msg:42.a_b-c',
      'x-correlation-id': 'corr-7@ui',
    });
    expect(r.status).toBe(200);
    const event = await lastEvent();
    expect(event.metadata).toMatchObject({ causationId: 'msg:42.a_b-c', correlationId: 'corr-7@ui' });
  });

  it('an unsafe Idempotency-Key is a 400 naming the header, and writes nothing', async () => {
    for (const value of [...HOSTILE_IDS.filter((v) => v.length <= 128), 'k'.repeat(256)]) {
      const r = await writesNothing(() =>
        t.http.post(`/api/v1/disputes/${disputeId}/negotiations`, SUPERVISOR, offer(), { 'idempotency-key': value }),
      );
      expect(r.status).toBe(400);
      expect(fieldsOf(r.body)).toEqual(['Idempotency-Key']);
      expect(r.body.message).toMatch(/^Idempotency-Key must be/);
    }
    const filed = await t.http.post('/api/v1/disputes', SUPERVISOR, fileBody({ customerId: 'sec-idem' }), { 'idempotency-key': 'bad key' });
    expect(filed.status).toBe(400);
    expect((await t.http.get('/api/v1/disputes?customerId=sec-idem', SUPERVISOR)).body.items).toHaveLength(0);
    // A 255-character key of the safe alphabet is still accepted, as before.
    expect(
      (await t.http.post(`/api/v1/disputes/${openId}/negotiations`, SUPERVISOR, offer(), { 'idempotency-key': 'k'.repeat(255) })).status,
    ).toBe(200);
  });
});
