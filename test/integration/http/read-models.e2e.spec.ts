import { Client } from 'pg';
import { fileBody, tokenFor } from '../../support/http-client';
import { postgresReadStore, TEST_DATABASE_URL, TestReadStore } from '../../support/read-stores';
import { removeDir, startTestApp, TestApp } from '../../support/test-app';

// Of department returns: ownership (issue 12) lets agents and supervisors act only within their department.
const AGENT = tokenFor('agent', 'agent-q', { department: 'returns' });
const OTHER_AGENT = tokenFor('agent', 'agent-z', { department: 'returns' });
const SUPERVISOR = tokenFor('supervisor', 'sup-q', { department: 'returns' });
const MANAGER = tokenFor('manager', 'mgr-q');
const AUDITOR = tokenFor('auditor', 'aud-q');
const ANALYST = tokenFor('analyst', 'ana-q');
const ADMIN = tokenFor('admin', 'adm-q');

/** A clock the test moves: queues must reorder as time passes, with no writes. */
let now = Date.parse('2026-03-02T02:00:00.000Z'); // Monday 10:00 in Shanghai
const clock = { now: () => new Date(now) };
const minutes = (n: number) => (now += n * 60_000);

describe.each(['embedded', 'postgres'] as const)('read models on the %s read store', (readStore) => {
  let t: TestApp;
  let pg: TestReadStore | undefined;
  beforeAll(async () => {
    now = Date.parse('2026-03-02T02:00:00.000Z');
    if (readStore === 'postgres') {
      pg = await postgresReadStore({ migrate: false });
      await pg.store.close();
    }
    t = await startTestApp({ clock, env: pg ? { READ_STORE: 'postgres', DATABASE_URL: pg.url! } : {} });
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
    if (pg) await dropSchema(pg.schema!);
  });

  const purchase = { purchasedAt: '2026-02-25T00:00:00.000Z', deliveredAt: '2026-02-27T00:00:00.000Z' };
  async function fileAssigned(channel: string, extra: Record<string, unknown> = {}): Promise<{ id: string; position: number }> {
    const filed = await t.http.post('/api/v1/disputes', AGENT, fileBody({ channel, customerId: `q-${channel}`, ...purchase, ...extra }));
    expect(filed.status).toBe(201);
    const assigned = await t.http.post(`/api/v1/disputes/${filed.body.id}/assign`, AGENT, { agentId: 'agent-q', department: 'returns' });
    expect(assigned.status).toBe(200);
    return { id: filed.body.id, position: Number(assigned.headers.get('x-casetrail-position')) };
  }

  describe('queues', () => {
    let phone: string, chat: string, email: string, logistics: string;

    beforeAll(async () => {
      email = (await fileAssigned('email')).id; // 8 working hours
      phone = (await fileAssigned('phone')).id; // 5 minutes
      minutes(1);
      chat = (await fileAssigned('chat')).id; // 60 seconds
      logistics = (await fileAssigned('web', { category: 'logistics' })).id;
    });

    it('orders breached first, then at risk, then nearest due, and reorders as time passes', async () => {
      let queue = (await t.http.get('/api/v1/queues/me', AGENT)).body;
      expect(queue.items.map((i: { disputeId: string }) => i.disputeId).slice(0, 2)).toEqual([chat, phone]);
      expect(queue.items.find((i: { disputeId: string }) => i.disputeId === phone)).toMatchObject({
        slaState: 'ok',
        dueKind: 'first_response',
        suggestedRemedy: expect.any(String),
      });

      minutes(3); // chat is 4 minutes old (breached), phone is 4 minutes into 5 (at risk)
      queue = (await t.http.get('/api/v1/queues/me', AGENT)).body;
      expect(queue.items.slice(0, 2).map((i: { disputeId: string; slaState: string }) => [i.disputeId, i.slaState])).toEqual([
        [chat, 'breached'],
        [phone, 'at_risk'],
      ]);
      expect(queue.items.map((i: { disputeId: string }) => i.disputeId)).toContain(email);
    });

    it('pages with limit and nextCursor (issue 16), keeping items, with the total; a bad cursor or limit is a 400', async () => {
      const whole = (await t.http.get('/api/v1/queues/me', AGENT)).body;
      expect(whole.nextCursor).toBeNull();
      expect(whole.total).toBe(whole.items.length);
      const seen: string[] = [];
      let path = '/api/v1/queues/me?limit=1';
      for (;;) {
        const page = await t.http.get(path, AGENT);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(1);
        expect(page.body.total).toBe(whole.total);
        seen.push(...page.body.items.map((i: { disputeId: string }) => i.disputeId));
        if (page.body.nextCursor === null) break;
        path = `/api/v1/queues/me?limit=1&cursor=${encodeURIComponent(page.body.nextCursor)}`;
      }
      expect(seen).toEqual(whole.items.map((i: { disputeId: string }) => i.disputeId));
      expect((await t.http.get('/api/v1/queues/me?cursor=bm9wZQ', AGENT)).status).toBe(400);
      const zero = await t.http.get('/api/v1/queues/me?limit=0', AGENT);
      expect(zero.status).toBe(400);
      expect(zero.body.details).toEqual([{ field: 'limit', problems: [expect.any(String)] }]);
    });

    it('shows the daily check list', async () => {
      const queue = (await t.http.get('/api/v1/queues/me', AGENT)).body;
      expect(queue.checklist.abnormal_logistics).toEqual([logistics]);
      expect(queue.items.find((i: { disputeId: string }) => i.disputeId === logistics).checklist).toContain('abnormal_logistics');
    });

    it('lets an agent read only its own queue; supervisors and managers read any, and department queues', async () => {
      expect((await t.http.get('/api/v1/queues/agents/agent-q', OTHER_AGENT)).status).toBe(403);
      expect((await t.http.get('/api/v1/queues/agents/agent-q', AGENT)).status).toBe(200);
      expect((await t.http.get('/api/v1/queues/agents/agent-q', SUPERVISOR)).body.items.length).toBeGreaterThanOrEqual(4);
      expect((await t.http.get('/api/v1/queues/departments/returns', MANAGER)).body.items.length).toBeGreaterThanOrEqual(4);
      expect((await t.http.get('/api/v1/queues/departments/returns', AGENT)).status).toBe(403);
      for (const token of [AUDITOR, ANALYST, ADMIN]) expect((await t.http.get('/api/v1/queues/me', token)).status).toBe(403);
    });

    it('puts unassigned disputes in the unassigned pool', async () => {
      const filed = await t.http.post('/api/v1/disputes', AGENT, fileBody({ ...purchase, customerId: 'pool' }));
      const pool = await t.http.get('/api/v1/queues/departments/unassigned', SUPERVISOR, {
        'x-casetrail-min-position': filed.headers.get('x-casetrail-position')!,
      });
      expect(pool.headers.get('x-casetrail-stale')).toBe('false');
      expect(pool.body.items.map((i: { disputeId: string }) => i.disputeId)).toContain(filed.body.id);
    });

    it("reads its own writes: a read asking for the write's position sees it", async () => {
      const { id, position } = await fileAssigned('web');
      const queue = await t.http.get('/api/v1/queues/me', AGENT, { 'x-casetrail-min-position': String(position) });
      expect(queue.body.items.map((i: { disputeId: string }) => i.disputeId)).toContain(id);
    });

    it("streams the agent's queue over Server-Sent Events when one of its disputes changes", async () => {
      const controller = new AbortController();
      const response = await fetch(`${t.baseUrl}/api/v1/queues/me/stream`, {
        headers: { authorization: `Bearer ${AGENT}` },
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
      const reader = response.body!.getReader();
      const messages: string[] = [];
      let buffer = '';
      const next = async (): Promise<{ items: { disputeId: string }[] }> => {
        for (;;) {
          const end = buffer.indexOf('\n\n');
          if (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block
              .split('\n')
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).trim())
              .join('');
            if (data) {
              messages.push(data);
              return JSON.parse(data);
            }
            continue;
          }
          const { value, done } = await reader.read();
          if (done) throw new Error('stream ended');
          buffer += new TextDecoder().decode(value);
        }
      };
      const initial = await next();
      expect(initial.items.length).toBeGreaterThan(0);
      const filed = await t.http.post('/api/v1/disputes', AGENT, fileBody({ ...purchase, customerId: 'sse' }));
      await t.http.post(`/api/v1/disputes/${filed.body.id}/assign`, AGENT, { agentId: 'agent-q', department: 'returns' });
      let update = await next();
      while (!update.items.some((i) => i.disputeId === filed.body.id)) update = await next();
      expect(update.items.map((i) => i.disputeId)).toContain(filed.body.id);
      controller.abort();
    });
  });

  describe('audit trail and reports', () => {
    it('lists events across cases by actor, in global order, for auditors only', async () => {
      const r = await t.http.get('/api/v1/audit/events?actorId=agent-q&limit=5', AUDITOR);
      expect(r.status).toBe(200);
      expect(r.body.items).toHaveLength(5);
      expect(r.body.items.every((e: { metadata: { actorId: string } }) => e.metadata.actorId === 'agent-q')).toBe(true);
      const positions = r.body.items.map((e: { position: number }) => e.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      const page2 = await t.http.get(`/api/v1/audit/events?actorId=agent-q&limit=5&cursor=${r.body.nextCursor}`, AUDITOR);
      expect(page2.body.items[0].position).toBeGreaterThan(positions[4]);
      const assigned = await t.http.get('/api/v1/audit/events?type=DisputeAssigned&limit=1000', AUDITOR);
      expect(assigned.body.items.every((e: { type: string }) => e.type === 'DisputeAssigned')).toBe(true);
      for (const token of [AGENT, SUPERVISOR, ANALYST]) expect((await t.http.get('/api/v1/audit/events', token)).status).toBe(403);
    });

    it('sums paid compensation by type and month, and counts the funnel', async () => {
      const { id } = await fileAssigned('web', { customerId: 'report-cust' });
      const proposed = await t.http.post(`/api/v1/disputes/${id}/compensations`, AGENT, { type: 'refund', amount: 12_345, reason: 'leak' });
      await t.http.post(`/api/v1/disputes/${id}/compensations/${proposed.body.compensationId}/pay`, AGENT, {});
      const period = 'from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z';
      const byType = await t.http.get(`/api/v1/reports/compensations?${period}&groupBy=type`, ANALYST);
      expect(byType.body.rows).toEqual([{ key: 'refund', count: 1, amount: { amount: 12_345, currency: 'CNY' } }]);
      const byMonth = await t.http.get(`/api/v1/reports/compensations?${period}&groupBy=month`, MANAGER);
      expect(byMonth.body.rows).toEqual([{ key: '2026-03', count: 1, amount: { amount: 12_345, currency: 'CNY' } }]);
      const funnel = await t.http.get(`/api/v1/reports/funnel?${period}`, ANALYST);
      expect(funnel.body.stages.filed).toBeGreaterThanOrEqual(8);
      expect(funnel.body.stages.compensated).toBe(1);
      expect(funnel.body.resolved).toBe(1);
      expect((await t.http.get(`/api/v1/reports/funnel?${period}`, AUDITOR)).status).toBe(403);
      expect((await t.http.get(`/api/v1/reports/compensations?${period}`, AGENT)).status).toBe(403);
      expect((await t.http.get('/api/v1/reports/compensations?from=yesterday&to=2027-01-01T00:00:00Z', ANALYST)).status).toBe(400);
    });
  });

  describe('projection administration', () => {
    it('rebuilds a projection beside the live one and swaps it in, for admins only', async () => {
      const before = (await t.http.get('/api/v1/disputes?limit=200', SUPERVISOR)).body.items.map((d: { id: string; version: number }) => [
        d.id,
        d.version,
      ]);
      expect((await t.http.post('/api/v1/admin/projections/disputes/rebuild', SUPERVISOR, {})).status).toBe(403);
      const rebuilt = await t.http.post('/api/v1/admin/projections/disputes/rebuild', ADMIN, {});
      expect(rebuilt.status).toBe(200);
      expect(rebuilt.body).toMatchObject({ projection: 'disputes', position: expect.any(Number) });
      const after = (await t.http.get('/api/v1/disputes?limit=200', SUPERVISOR)).body.items.map((d: { id: string; version: number }) => [
        d.id,
        d.version,
      ]);
      expect(after).toEqual(before);
      const status = await t.http.get('/api/v1/admin/projections', ADMIN);
      expect(status.body.projections.map((p: { name: string; error: null }) => [p.name, p.error])).toEqual([
        ['disputes', null],
        ['audit', null],
        ['penalties', null],
        ['sla-supervision', null],
        ['dispute-search', null], // issue 15: full-text search of the case workspace
        ['penalty-processor', null],
      ]);
      expect((await t.http.post('/api/v1/admin/projections/nope/rebuild', ADMIN, {})).status).toBe(404);
      // The penalty processor acts (it appends penalties): it is never rebuilt.
      expect((await t.http.post('/api/v1/admin/projections/penalty-processor/rebuild', ADMIN, {})).status).toBe(404);
    });
  });
});

async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}
