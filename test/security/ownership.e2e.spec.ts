import { JwtService } from '@nestjs/jwt';
import { Role } from '../../src/shared/actor';
import { fileBody, TEST_SECRET } from '../support/http-client';
import { useTestApp } from '../support/test-app';

/**
 * Issue 12, finding 3, over HTTP: an agent of department B acknowledged, granted 150.00, paid and closed a dispute
 * assigned to an agent of department A, and `GET /disputes?assignee=<other agent>` listed another agent's cases.
 * Now every write and read outside ownership is 403, and lists and queues show only what the caller may read.
 */
const token = (sub: string, roles: Role[], department?: string) =>
  new JwtService({ secret: TEST_SECRET }).sign(
    { sub, roles, ...(department ? { department } : {}) },
    { algorithm: 'HS256', expiresIn: '1h' },
  );

const AGENT_A = token('agent-a', ['agent'], 'dept-a');
const AGENT_A2 = token('agent-a2', ['agent'], 'dept-a');
const AGENT_B = token('agent-b', ['agent'], 'dept-b');
const SUP_A = token('sup-a', ['supervisor'], 'dept-a');
const SUP_B = token('sup-b', ['supervisor'], 'dept-b');
const MANAGER = token('mgr', ['manager'], 'hq');
const AUDITOR = token('aud', ['auditor']);
const ANALYST = token('ana', ['analyst']);
const ADMIN = token('adm', ['admin']);

describe('ownership over HTTP (issue 12)', () => {
  const t = useTestApp();
  let disputeId: string;
  let unassignedA: string;

  beforeAll(async () => {
    const filedA = await t.http.post('/api/v1/disputes', AGENT_A, fileBody({ customerId: 'cust-own-1' }));
    expect(filedA.status).toBe(201);
    disputeId = filedA.body.id;
    expect(filedA.body.department).toBe('dept-a');
    expect((await t.http.post(`/api/v1/disputes/${disputeId}/assign`, AGENT_A, { agentId: 'agent-a', department: 'dept-a' })).status).toBe(
      200,
    );
    unassignedA = (await t.http.post('/api/v1/disputes', SUP_A, fileBody({ customerId: 'cust-own-2' }))).body.id;
  });

  it('refuses every step the finding took: acknowledge, grant, pay, close by an agent of another department', async () => {
    const base = `/api/v1/disputes/${disputeId}`;
    const before = (await t.http.get(base, AGENT_A)).body.version;
    for (const [path, body] of [
      ['/acknowledge', { message: 'hello' }],
      ['/compensations', { type: 'refund', amount: { amount: 15_000, currency: 'CNY' }, reason: 'defect' }],
      ['/close', { resolution: 'done' }],
      ['/withdraw', { reason: 'x' }],
      ['/assign', { agentId: 'agent-b', department: 'dept-b' }],
    ] as const) {
      const reply = await t.http.post(`${base}${path}`, AGENT_B, body);
      expect({ path, status: reply.status }).toEqual({ path, status: 403 });
      expect(reply.body.message).toMatch(/department dept-a, outside yours \(dept-b\)/);
    }
    // The rightful agent grants 150.00; the outsider cannot pay it.
    const granted = await t.http.post(`${base}/compensations`, AGENT_A, {
      type: 'refund',
      amount: { amount: 15_000, currency: 'CNY' },
      reason: 'defect',
    });
    expect(granted.body.compensationStatus).toBe('approved');
    expect((await t.http.post(`${base}/compensations/${granted.body.compensationId}/pay`, AGENT_B, {})).status).toBe(403);
    const after = (await t.http.get(base, AGENT_A)).body;
    expect(after.version).toBe(before + 2);
    expect(after.compensations[0].status).toBe('approved');
  });

  it("lets a colleague of the same department read another agent's case but not act on it", async () => {
    const reply = await t.http.get(`/api/v1/disputes/${disputeId}`, AGENT_A2);
    expect(reply.status).toBe(200);
    expect(reply.body.allowedActions).toEqual([]);
    const write = await t.http.post(`/api/v1/disputes/${disputeId}/close`, AGENT_A2, { resolution: 'mine now' });
    expect(write.status).toBe(403);
    expect(write.body.message).toMatch(/assigned to agent-a/);
  });

  it('lets an agent take an unassigned dispute of their own department, not one of another', async () => {
    expect(
      (await t.http.post(`/api/v1/disputes/${unassignedA}/assign`, AGENT_B, { agentId: 'agent-b', department: 'dept-b' })).status,
    ).toBe(403);
    expect(
      (await t.http.post(`/api/v1/disputes/${unassignedA}/assign`, AGENT_A2, { agentId: 'agent-a2', department: 'dept-b' })).status,
    ).toBe(403);
    const taken = await t.http.post(`/api/v1/disputes/${unassignedA}/assign`, AGENT_A2, { agentId: 'agent-a2', department: 'dept-a' });
    expect(taken.status).toBe(200);
    expect(taken.body.assignee).toBe('agent-a2');
  });

  it.each([
    { who: 'agent of the department', caller: AGENT_A2, status: 200 },
    { who: 'agent of another department', caller: AGENT_B, status: 403 },
    { who: 'supervisor of the department', caller: SUP_A, status: 200 },
    { who: 'supervisor of another department', caller: SUP_B, status: 403 },
    { who: 'manager', caller: MANAGER, status: 200 },
    { who: 'auditor', caller: AUDITOR, status: 200 },
    { who: 'analyst', caller: ANALYST, status: 200 },
    { who: 'admin', caller: ADMIN, status: 200 },
  ])('GET /disputes/:id as $who → $status', async ({ caller, status }) => {
    expect((await t.http.get(`/api/v1/disputes/${disputeId}`, caller)).status).toBe(status);
  });

  it.each([
    { path: 'events', who: 'supervisor of another department', caller: SUP_B, status: 403 },
    { path: 'events', who: 'supervisor of the department', caller: SUP_A, status: 200 },
    { path: 'events', who: 'manager', caller: MANAGER, status: 200 },
    { path: 'history?asOf=2100-01-01T00:00:00Z', who: 'supervisor of another department', caller: SUP_B, status: 403 },
    { path: 'history?asOf=2100-01-01T00:00:00Z', who: 'supervisor of the department', caller: SUP_A, status: 200 },
    { path: 'audit/verify', who: 'auditor', caller: AUDITOR, status: 200 },
  ])('GET /disputes/:id/$path as $who → $status', async ({ path, caller, status }) => {
    expect((await t.http.get(`/api/v1/disputes/${disputeId}/${path}`, caller)).status).toBe(status);
  });

  it('lists only what the caller may read, whatever the filter asks', async () => {
    const ids = async (caller: string, query = '') =>
      ((await t.http.get(`/api/v1/disputes${query}`, caller)).body.items as { id: string }[]).map((d) => d.id);
    expect(await ids(AGENT_B, '?assignee=agent-a')).toEqual([]);
    expect(await ids(AGENT_B)).toEqual([]);
    expect(await ids(SUP_B)).toEqual([]);
    expect(await ids(AGENT_A2, '?assignee=agent-a')).toEqual([disputeId]);
    expect((await ids(SUP_A)).sort()).toEqual([disputeId, unassignedA].sort());
    expect((await ids(MANAGER)).sort()).toEqual([disputeId, unassignedA].sort());
  });

  it("queues: a supervisor reads their own department, and another agent's queue only within it", async () => {
    expect((await t.http.get('/api/v1/queues/departments/dept-a', SUP_B)).status).toBe(403);
    const own = await t.http.get('/api/v1/queues/departments/dept-a', SUP_A);
    expect(own.status).toBe(200);
    expect(own.body.items.map((i: { disputeId: string }) => i.disputeId).sort()).toEqual([disputeId, unassignedA].sort());
    expect((await t.http.get('/api/v1/queues/agents/agent-a', SUP_B)).body.items).toEqual([]);
    expect((await t.http.get('/api/v1/queues/agents/agent-a', SUP_A)).body.items.map((i: { disputeId: string }) => i.disputeId)).toEqual([
      disputeId,
    ]);
    expect((await t.http.get('/api/v1/queues/agents/agent-a', AGENT_A2)).status).toBe(403);
    expect((await t.http.get('/api/v1/queues/departments/dept-a', MANAGER)).body.items.length).toBe(2);
  });

  it('an admin administers but writes on no dispute', async () => {
    expect((await t.http.post(`/api/v1/disputes/${disputeId}/close`, ADMIN, { resolution: 'x' })).status).toBe(403);
  });
});
