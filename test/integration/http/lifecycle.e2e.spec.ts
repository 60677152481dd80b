import { Role } from '../../../src/shared/actor';
import { fileBody, tokenFor } from '../../support/http-client';
import { useTestApp } from '../../support/test-app';
import { pdfBytes, uploadEvidence } from '../../support/evidence-upload';

const AGENT = tokenFor('agent', 'agent-1');
const SUPERVISOR = tokenFor('supervisor', 'sup-1');
const MANAGER = tokenFor('manager', 'mgr-1');
const AUDITOR = tokenFor('auditor', 'aud-1');

const t = useTestApp();

async function file(overrides: Record<string, unknown> = {}): Promise<string> {
  const r = await t.http.post('/api/v1/disputes', AGENT, fileBody(overrides));
  expect(r.status).toBe(201);
  return r.body.id;
}
const post = (id: string, path: string, body: unknown, token = AGENT) => t.http.post(`/api/v1/disputes/${id}${path}`, token, body);
const events = async (id: string) =>
  (await t.http.get(`/api/v1/disputes/${id}/events`, AUDITOR)).body.items as { type: string; metadata: Record<string, unknown> }[];

describe('a dispute through negotiation, mediation, arbitration, payment, closing and feedback', () => {
  it('is recorded step by step, and the audit trail verifies', async () => {
    const id = await file({ channel: 'email' });
    // Arbitration needs the arbitration agreement on file (issue 15: the evidence policy's enforced line).
    expect(
      (await uploadEvidence(t.baseUrl, AGENT, id, 'arbitration_agreement', 'agreement.pdf', 'application/pdf', pdfBytes())).status,
    ).toBe(201);
    const steps: [string, unknown, string?][] = [
      ['/assign', { agentId: 'agent-1', department: 'after-sales' }],
      ['/acknowledge', { message: 'We are sorry; we are looking into it.' }],
      ['/negotiations', { action: 'offer', party: 'customer', remedy: 'refund', amount: { amount: 80_000, currency: 'CNY' } }],
      ['/negotiations', { action: 'counter', party: 'merchant', remedy: 'refund', amount: { amount: 10_000, currency: 'CNY' } }],
      ['/negotiations', { action: 'reject', party: 'customer', note: 'too little' }],
      ['/escalations', { forum: 'mediation', institution: 'Marketplace platform', reason: 'no agreement' }],
      ['/outcomes', { forum: 'mediation', result: 'failed' }],
      ['/escalations', { forum: 'arbitration', institution: 'City arbitration commission', reason: 'mediation failed' }],
      ['/outcomes', { forum: 'arbitration', result: 'award', amount: { amount: 50_000, currency: 'CNY' }, terms: 'refund half' }],
    ];
    let version = 1;
    for (const [path, body] of steps) {
      const r = await post(id, path, body);
      expect({ path, status: r.status, body: r.body }).toMatchObject({ path, status: 200 });
      expect(r.headers.get('etag')).toBe(`"${++version === 10 ? version + 1 : version}"`.replace(/"(\d+)"/, () => `"${r.body.version}"`));
      version = r.body.version;
    }
    let view = (await t.http.get(`/api/v1/disputes/${id}`, AGENT)).body;
    expect(view).toMatchObject({ stage: 'arbitration', status: 'awaiting_payment' });
    const award = view.compensations[0];
    // An award binds the merchant, but 500.00 is above the recording agent's authority: four eyes (issue 12).
    expect(award).toMatchObject({
      type: 'compensation',
      amount: { amount: 50_000, currency: 'CNY' },
      status: 'pending_approval',
      basis: 'arbitration',
      requiredApprover: 'supervisor',
    });
    expect(view.allowedActions).not.toContain('pay_compensation');
    expect((await post(id, `/compensations/${award.compensationId}/pay`, {})).status).toBe(409);
    view = (await post(id, `/compensations/${award.compensationId}/approve`, { note: 'award checked against the ruling' }, SUPERVISOR))
      .body;
    expect(view.compensations[0]).toMatchObject({ status: 'approved' });
    expect(view.allowedActions).toContain('pay_compensation');
    expect(view.offers.map((o: { action: string }) => o.action)).toEqual(['offer', 'counter', 'reject']);

    const paid = await post(id, `/compensations/${award.compensationId}/pay`, { paymentReference: 'bank-123' });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ stage: 'compensated', status: 'compensated' });

    expect((await post(id, '/close', { resolution: 'award paid' })).body).toMatchObject({ stage: 'closed', status: 'closed' });
    const feedback = await post(id, '/feedback', { score: 4, comment: 'slow but fair' });
    expect(feedback.status).toBe(200);
    expect(feedback.body.allowedActions).toEqual(['reopen']);

    const trail = await events(id);
    expect(trail.map((e) => e.type)).toEqual([
      'DisputeFiled',
      'EvidenceAttached',
      'DisputeAssigned',
      'DisputeAcknowledged',
      'DisputeNegotiated',
      'DisputeNegotiated',
      'DisputeNegotiated',
      'DisputeEscalated',
      'DisputeMediated',
      'DisputeEscalated',
      'DisputeArbitrated',
      'CompensationProposed',
      'CompensationApproved',
      'CompensationPaid',
      'DisputeCompensated',
      'DisputeClosed',
      'FeedbackReceived',
    ]);
    for (const e of trail) {
      const by =
        e.type === 'CompensationApproved'
          ? { actorId: 'sup-1', actorRoles: ['supervisor'] }
          : { actorId: 'agent-1', actorRoles: ['agent'] };
      // DisputeFiled is at schema 2 (it records the filing department); issue 15 brought DisputeAssigned (the
      // reason) and CompensationProposed to 2 (the authority policy version; issue 14's breachId, both optional).
      const schemaVersion = ['DisputeFiled', 'DisputeAssigned', 'CompensationProposed'].includes(e.type) ? 2 : 1;
      expect(e.metadata).toMatchObject({ ...by, schemaVersion, commandId: expect.any(String) });
    }
    expect((await t.http.get(`/api/v1/disputes/${id}/audit/verify`, AUDITOR)).body).toMatchObject({ valid: true, events: 17, damages: [] }); // API.md: fields are added, never removed
    view = (
      await t.http.get(`/api/v1/disputes/${id}/history?asOf=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}`, AUDITOR)
    ).body;
    expect(view.state).toMatchObject({ status: 'closed' });
    expect(view.events).toHaveLength(17);
  });
});

describe('a dispute straight to court', () => {
  it('goes to litigation without acknowledgement, is dismissed and closed', async () => {
    const id = await file({ channel: 'phone', category: 'delayed_shipment' });
    expect(
      (await post(id, '/escalations', { forum: 'litigation', institution: 'District court', reason: 'no arbitration agreement' })).body,
    ).toMatchObject({
      stage: 'litigation',
      status: 'open',
    });
    const dismissed = await post(id, '/outcomes', { forum: 'litigation', result: 'dismissed', terms: 'claim unfounded' });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body.compensations).toEqual([]);
    expect((await post(id, '/close', { resolution: 'dismissed by court' })).body).toMatchObject({ stage: 'closed', status: 'closed' });
    expect((await events(id)).map((e) => e.type)).toEqual(['DisputeFiled', 'DisputeEscalated', 'DisputeLitigated', 'DisputeClosed']);
  });
});

describe("approval above an agent's authority", () => {
  it('waits for a supervisor, then for a manager above 600.00', async () => {
    const id = await file();
    const proposed = await t.http.post(`/api/v1/disputes/${id}/compensations`, AGENT, {
      type: 'refund',
      amount: { amount: 30_000, currency: 'CNY' },
      reason: 'leak',
    });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({
      compensationId: expect.any(String),
      compensationStatus: 'pending_approval',
      status: 'awaiting_payment',
    });
    const approved = await post(id, `/compensations/${proposed.body.compensationId}/approve`, { note: 'ok' }, SUPERVISOR);
    expect(approved.body.compensations[0]).toMatchObject({ status: 'approved' });
    const big = await t.http.post(`/api/v1/disputes/${id}/compensations`, SUPERVISOR, {
      type: 'compensation',
      amount: 40_000,
      reason: 'travel costs',
    });
    expect(big.body.compensationStatus).toBe('pending_approval');
    expect((await post(id, `/compensations/${big.body.compensationId}/approve`, {}, SUPERVISOR)).status).toBe(403);
    expect((await post(id, `/compensations/${big.body.compensationId}/approve`, {}, MANAGER)).status).toBe(200);
  });
});

describe('refusals write nothing', () => {
  type Step = [path: string, body: unknown, token?: string];
  const cases: { name: string; setup: Step[]; when: Step; status: number; message?: RegExp; filing?: Record<string, unknown> }[] = [
    {
      // (Arbitration would need an agreement on file first: the ladder is shown from mediation.)
      name: 'escalation down the ladder',
      setup: [['/escalations', { forum: 'mediation', institution: 'A', reason: 'r' }]],
      when: ['/escalations', { forum: 'mediation', institution: 'M', reason: 'r' }],
      status: 409,
      message: /up the ladder/,
    },
    {
      name: 'escalation beyond litigation',
      setup: [['/escalations', { forum: 'litigation', institution: 'C', reason: 'r' }]],
      when: ['/escalations', { forum: 'litigation', institution: 'C2', reason: 'r' }],
      status: 409,
    },
    {
      name: 'negotiation after escalation',
      setup: [
        ['/acknowledge', { message: 'hi' }],
        ['/escalations', { forum: 'mediation', institution: 'M', reason: 'r' }],
      ],
      when: ['/negotiations', { action: 'offer', party: 'merchant', remedy: 'coupon' }],
      status: 409,
    },
    {
      name: 'negotiation before acknowledgement',
      setup: [],
      when: ['/negotiations', { action: 'offer', party: 'merchant', remedy: 'coupon' }],
      status: 409,
      message: /acknowledge/,
    },
    {
      name: 'a second acknowledgement',
      setup: [['/acknowledge', { message: 'hi' }]],
      when: ['/acknowledge', { message: 'again' }],
      status: 409,
    },
    {
      name: 'a complex acknowledgement without plan',
      setup: [],
      when: ['/acknowledge', { message: 'hi', complex: true }],
      status: 400,
      message: /estimatedResolutionAt|plan/,
    },
    {
      name: 'a response in the future',
      setup: [],
      when: ['/acknowledge', { message: 'hi', respondedAt: new Date(Date.now() + 3_600_000).toISOString() }],
      status: 400,
      message: /future/,
    },
    {
      name: 'a remedy for misuse',
      filing: { category: 'misuse' },
      setup: [],
      when: ['/compensations', { type: 'coupon', reason: 'goodwill' }],
      status: 409,
      message: /misuse/,
    },
    { name: 'an outcome with no forum pending', setup: [], when: ['/outcomes', { forum: 'mediation', result: 'failed' }], status: 409 },
    { name: 'a rejection by an agent', setup: [], when: ['/reject', { reason: 'misuse' }], status: 403 },
    {
      name: 'closing while mediation runs',
      setup: [['/escalations', { forum: 'mediation', institution: 'M', reason: 'r' }]],
      when: ['/close', { resolution: 'x' }],
      status: 409,
      message: /not ended/,
    },
    {
      name: 'closing with unpaid compensation',
      setup: [['/compensations', { type: 'refund', amount: 1000, reason: 'r' }]],
      when: ['/close', { resolution: 'x' }],
      status: 409,
      message: /not paid/,
    },
    { name: 'reopening an open dispute', setup: [], when: ['/reopen', { reason: 'x' }], status: 409 },
    { name: 'feedback before closing', setup: [], when: ['/feedback', { score: 5 }], status: 409 },
    {
      name: 'withdrawing a closed dispute',
      setup: [['/close', { resolution: 'resolved by phone' }]],
      when: ['/withdraw', { reason: 'x' }],
      status: 409,
    },
    {
      name: 'escalating a withdrawn dispute',
      setup: [['/withdraw', { reason: 'solved' }]],
      when: ['/escalations', { forum: 'mediation', institution: 'M', reason: 'r' }],
      status: 409,
    },
    { name: 'approving an unknown compensation', setup: [], when: ['/compensations/nope/approve', {}, SUPERVISOR], status: 404 },
    { name: 'an auditor writing', setup: [], when: ['/acknowledge', { message: 'hi' }, AUDITOR], status: 403 },
    { name: 'an analyst writing', setup: [], when: ['/close', { resolution: 'x' }, tokenFor('analyst')], status: 403 },
    { name: 'an unknown field', setup: [], when: ['/acknowledge', { message: 'hi', sneaky: true }], status: 400, message: /sneaky/ },
    {
      name: 'a wrong enum',
      setup: [],
      when: ['/escalations', { forum: 'supreme', institution: 'x', reason: 'r' }],
      status: 400,
      message: /forum/,
    },
    {
      name: 'a refund without amount',
      setup: [],
      when: ['/compensations', { type: 'refund', reason: 'r' }],
      status: 400,
      message: /amount/,
    },
  ];

  it.each(cases)('$name → $status', async ({ setup, when, status, message, filing }) => {
    const id = await file(filing);
    for (const [path, body, token] of setup) expect((await post(id, path, body, token)).status).toBeLessThan(300);
    const before = (await events(id)).length;
    const r = await post(id, when[0], when[1], when[2]);
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
    if (message) expect(r.body.message).toMatch(message);
    expect(await events(id)).toHaveLength(before);
  });

  it('answers 404 for an unknown dispute, for reads and writes', async () => {
    expect((await t.http.get('/api/v1/disputes/does-not-exist', AGENT)).status).toBe(404);
    expect((await post('does-not-exist', '/acknowledge', { message: 'hi' })).status).toBe(404);
  });

  it('names every offending field of a bad filing and files nothing', async () => {
    const before = (await t.http.get('/api/v1/disputes?limit=200', SUPERVISOR)).body.items.length;
    const r = await t.http.post('/api/v1/disputes', AGENT, { ...fileBody(), channel: 'pigeon', purchasedAt: 'yesterday', customerId: '' });
    expect(r.status).toBe(400);
    expect(r.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['channel', 'customerId', 'purchasedAt']);
    expect((await t.http.get('/api/v1/disputes?limit=200', SUPERVISOR)).body.items.length).toBe(before);
  });

  it('answers malformed JSON with 400 and a body over 1 MB with 413', async () => {
    const bad = await t.http.call('POST', '/api/v1/disputes', { token: AGENT, raw: '{"customerId": ' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const huge = await t.http.post('/api/v1/disputes', AGENT, fileBody({ description: 'x'.repeat(1_100_000) }));
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ statusCode: 413 });
  });
});

describe('ETag and If-Match', () => {
  it('refuses a write on a stale version with 412 and accepts the current one', async () => {
    const id = await file();
    const stale = await t.http.post(`/api/v1/disputes/${id}/acknowledge`, AGENT, { message: 'hi' }, { 'if-match': '"7"' });
    expect(stale.status).toBe(412);
    const ok = await t.http.post(`/api/v1/disputes/${id}/acknowledge`, AGENT, { message: 'hi' }, { 'if-match': '"1"' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('"2"');
    const get = await t.http.get(`/api/v1/disputes/${id}`, AGENT);
    expect(get.headers.get('etag')).toBe('"2"');
  });
});

describe('Idempotency-Key', () => {
  it('returns the first response again with no second effect, and refuses a different body with 422', async () => {
    const key = { 'idempotency-key': `file-${Date.now()}` };
    const body = fileBody({ customerId: 'cust-idem' });
    const first = await t.http.post('/api/v1/disputes', AGENT, body, key);
    const again = await t.http.post('/api/v1/disputes', AGENT, body, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    const other = await t.http.post('/api/v1/disputes', AGENT, { ...body, description: 'changed' }, key);
    expect(other.status).toBe(422);
    const list = await t.http.get('/api/v1/disputes?customerId=cust-idem', SUPERVISOR);
    expect(list.body.items).toHaveLength(1);
  });

  it('keeps one effect under a storm of retries with the same key', async () => {
    const id = await file();
    const key = { 'idempotency-key': `offer-${id}` };
    await post(id, '/acknowledge', { message: 'hi' });
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.http.post(`/api/v1/disputes/${id}/negotiations`, AGENT, { action: 'offer', party: 'merchant', remedy: 'coupon' }, key),
      ),
    );
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect((await events(id)).filter((e) => e.type === 'DisputeNegotiated')).toHaveLength(1);
  });
});

describe('role checks on every route', () => {
  const ALL: Role[] = ['agent', 'supervisor', 'manager', 'auditor', 'analyst', 'admin'];
  const routes: { route: string; method: 'GET' | 'POST'; allowed: Role[] }[] = [
    { route: '/api/v1/disputes', method: 'POST', allowed: ['agent', 'supervisor'] },
    { route: '/api/v1/disputes/:id/acknowledge', method: 'POST', allowed: ['agent', 'supervisor'] },
    { route: '/api/v1/disputes/:id/assign', method: 'POST', allowed: ['agent', 'supervisor'] },
    { route: '/api/v1/disputes/:id/negotiations', method: 'POST', allowed: ['agent', 'supervisor'] },
    { route: '/api/v1/disputes/:id/escalations', method: 'POST', allowed: ['agent', 'supervisor'] },
    { route: '/api/v1/disputes/:id/outcomes', method: 'POST', allowed: ['agent', 'supervisor'] },
    { route: '/api/v1/disputes/:id/compensations', method: 'POST', allowed: ['agent', 'supervisor', 'manager'] },
    { route: '/api/v1/disputes/:id/compensations/k/approve', method: 'POST', allowed: ['supervisor', 'manager'] },
    { route: '/api/v1/disputes/:id/compensations/k/pay', method: 'POST', allowed: ['agent', 'supervisor', 'manager'] },
    { route: '/api/v1/disputes/:id/reject', method: 'POST', allowed: ['supervisor'] },
    { route: '/api/v1/disputes/:id/withdraw', method: 'POST', allowed: ['agent', 'supervisor'] },
    { route: '/api/v1/disputes/:id/close', method: 'POST', allowed: ['agent', 'supervisor'] },
    { route: '/api/v1/disputes/:id/reopen', method: 'POST', allowed: ['agent', 'supervisor'] },
    { route: '/api/v1/disputes/:id/feedback', method: 'POST', allowed: ['agent', 'supervisor'] },
    { route: '/api/v1/disputes/:id', method: 'GET', allowed: ALL },
    { route: '/api/v1/disputes', method: 'GET', allowed: ['agent', 'supervisor', 'manager', 'auditor', 'admin'] },
    { route: '/api/v1/disputes/:id/events', method: 'GET', allowed: ['auditor', 'supervisor', 'manager'] },
    { route: '/api/v1/disputes/:id/history?asOf=2026-01-01T00:00:00Z', method: 'GET', allowed: ['auditor', 'supervisor', 'manager'] },
    { route: '/api/v1/disputes/:id/audit/verify', method: 'GET', allowed: ['auditor'] },
  ];
  const matrix = routes.flatMap((r) => ALL.map((role) => ({ ...r, role, expectAllowed: r.allowed.includes(role) })));

  it.each(matrix)('$method $route as $role → allowed: $expectAllowed', async ({ route, method, role, expectAllowed }) => {
    const id = await file();
    const r = await t.http.call(method, route.replace(':id', id), { token: tokenFor(role), body: method === 'POST' ? {} : undefined });
    if (expectAllowed) expect(r.status).not.toBe(403);
    else expect(r.status).toBe(403);
    expect(r.status).not.toBe(401);
  });
});

describe('authentication', () => {
  const header = (token: string) => ({ authorization: `Bearer ${token}` });
  const unsigned = (payload: object) =>
    `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
  it.each([
    ['no token', {}],
    ['a token signed with another secret', header(tokenFor('agent', 'a', { secret: 'another-secret-another-secret' }))],
    ['an expired token', header(tokenFor('agent', 'a', { expiresIn: '-1s' }))],
    ['alg none', header(unsigned({ sub: 'a', roles: ['agent'], exp: Math.floor(Date.now() / 1000) + 60 }))],
    ['another algorithm (HS512)', header(tokenFor('agent', 'a', { algorithm: 'HS512' }))],
    ['unknown roles', header(tokenFor('wizard' as Role))],
  ])('refuses %s with 401', async (_, headers) => {
    const r = await t.http.call('GET', '/api/v1/disputes', { headers });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });
  it('refuses a token once it expires, though it was accepted (and remembered) before', async () => {
    const token = tokenFor('agent', 'a', { expiresIn: '1s' });
    const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number;
    expect((await t.http.call('GET', '/api/v1/disputes', { headers: header(token) })).status).toBe(200);
    expect((await t.http.call('GET', '/api/v1/disputes', { headers: header(token) })).status).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 50));
    const r = await t.http.call('GET', '/api/v1/disputes', { headers: header(token) });
    expect(r.status).toBe(401);
    expect(r.body.message).toMatch(/expired/);
  });
  it('lets /health through without a token', async () => {
    expect((await t.http.get('/health')).status).toBe(200);
  });
});
