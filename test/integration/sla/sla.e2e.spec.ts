import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BreachScheduler } from '../../../src/sla-supervision/application/breach-scheduler';
import { DEFAULT_SLA_POLICY } from '../../../src/sla/domain/sla-policy';
import { fileBody, tokenFor } from '../../support/http-client';
import { removeDir, startTestApp, TestApp } from '../../support/test-app';

// Both of department care: ownership (issue 12) lets them act only within it.
const AGENT = tokenFor('agent', 'agent-s', { department: 'care' });
const SUPERVISOR = tokenFor('supervisor', 'sup-s', { department: 'care' });
const ADMIN = tokenFor('admin', 'adm-s');
const ANALYST = tokenFor('analyst', 'ana-s');
const AUDITOR = tokenFor('auditor', 'aud-s');

/** Time moves only when the test says so; the scheduler ticks only when the test calls it. */
let now = Date.parse('2026-04-06T02:00:00.000Z'); // a Monday, 10:00 in Shanghai
const clock = { now: () => new Date(now) };
const advance = (ms: number) => (now += ms);
const env = { SLA_SCHEDULER_INTERVAL_MS: '0' };
const purchase = { purchasedAt: '2026-04-01T00:00:00.000Z', deliveredAt: '2026-04-02T00:00:00.000Z' };
const twoSecondChat = {
  ...DEFAULT_SLA_POLICY,
  firstResponse: { ...DEFAULT_SLA_POLICY.firstResponse, chat: { target: 'PT2S', clock: 'calendar' } },
};

async function fileAssigned(t: TestApp, channel: string, customerId: string): Promise<string> {
  const filed = await t.http.post('/api/v1/disputes', AGENT, fileBody({ ...purchase, channel, customerId }));
  expect(filed.status).toBe(201);
  expect((await t.http.post(`/api/v1/disputes/${filed.body.id}/assign`, AGENT, { agentId: 'agent-s', department: 'care' })).status).toBe(
    200,
  );
  return filed.body.id;
}
const breachEvents = async (t: TestApp, id: string) =>
  (
    (await t.http.get(`/api/v1/disputes/${id}/events`, AUDITOR)).body.items as {
      type: string;
      eventId: string;
      data: Record<string, any>;
    }[]
  ).filter((e) => e.type === 'SlaBreached');

describe('the SLA engine end to end', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-sla-'));
  let t: TestApp;
  let chat: string;
  let email: string;
  let breachId: string;
  beforeAll(async () => {
    t = await startTestApp({ dataDir, clock, env });
  });
  afterAll(async () => {
    await t.close();
    removeDir(dataDir);
  });

  it('versions the policy: admin only, validated with messages naming the fields', async () => {
    expect((await t.http.call('PUT', '/api/v1/sla/policy', { token: SUPERVISOR, body: twoSecondChat })).status).toBe(403);
    const bad = await t.http.call('PUT', '/api/v1/sla/policy', {
      token: ADMIN,
      body: { ...twoSecondChat, atRiskRatio: 2, businessCalendar: { ...twoSecondChat.businessCalendar, timeZone: 'Mars/Olympus' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/atRiskRatio/);
    expect(bad.body.message).toMatch(/timeZone/);
    const changed = await t.http.call('PUT', '/api/v1/sla/policy', { token: ADMIN, body: twoSecondChat });
    expect(changed.status).toBe(200);
    expect(changed.body.version).toBe(2);
    expect((await t.http.get('/api/v1/sla/policy', AGENT)).body).toMatchObject({ version: 2, firstResponse: { chat: { target: 'PT2S' } } });
  });

  it('takes peak windows announced in advance only, with at most 50%', async () => {
    const past = {
      start: new Date(now - 3_600_000).toISOString(),
      end: new Date(now + 3_600_000).toISOString(),
      extensionPercent: 20,
      reason: 'sale',
    };
    const inPast = await t.http.post('/api/v1/sla/peak-windows', ADMIN, past);
    expect(inPast.status).toBe(400);
    // The one shape of a 400's details (issue 16): every offending field with its problems.
    expect(inPast.body.details).toEqual([{ field: 'start', problems: [expect.stringMatching(/in the future/)] }]);
    expect(
      (
        await t.http.post('/api/v1/sla/peak-windows', ADMIN, {
          ...past,
          start: new Date(now + 86_400_000).toISOString(),
          end: new Date(now + 2 * 86_400_000).toISOString(),
          extensionPercent: 60,
        })
      ).status,
    ).toBe(400);
    const ok = await t.http.post('/api/v1/sla/peak-windows', ADMIN, {
      ...past,
      start: new Date(now + 86_400_000).toISOString(),
      end: new Date(now + 2 * 86_400_000).toISOString(),
    });
    expect(ok.status).toBe(201);
  });

  it('keeps the policy version in force at filing and runs the 2-second chat clock', async () => {
    chat = await fileAssigned(t, 'chat', 'sla-chat');
    email = await fileAssigned(t, 'email', 'sla-email');
    const view = (await t.http.get(`/api/v1/disputes/${chat}`, AGENT)).body;
    expect(view.sla).toMatchObject({ policyVersion: 2, state: 'ok', firstResponseDueAt: new Date(now + 2000).toISOString() });
    advance(1600); // 80% of the target: at risk
    expect((await t.http.get(`/api/v1/disputes/${chat}`, AGENT)).body.sla.state).toBe('at_risk');
  });

  it('detects the breach on the next tick, once, and the queue puts it first', async () => {
    const scheduler = t.app.get(BreachScheduler);
    expect(await scheduler.tick()).toBe(0);
    advance(1000); // past due
    expect(await scheduler.tick()).toBe(1);
    expect(await scheduler.tick()).toBe(0);
    const breaches = await breachEvents(t, chat);
    expect(breaches).toHaveLength(1);
    const filedEvent = (
      (await t.http.get(`/api/v1/disputes/${chat}/events`, AUDITOR)).body.items as { type: string; eventId: string }[]
    )[0];
    expect(breaches[0].data).toMatchObject({
      kind: 'first_response',
      clockKey: 'first_response:0',
      dueAt: new Date(now - 600).toISOString(),
      assignee: 'agent-s',
      department: 'care',
      proof: {
        policyVersion: 2,
        target: { target: 'PT2S', clock: 'calendar' },
        startedByEventId: filedEvent.eventId,
        calendar: { timeZone: 'Asia/Shanghai' },
      },
    });
    breachId = breaches[0].data.breachId;
    const view = (await t.http.get(`/api/v1/disputes/${chat}`, AGENT)).body;
    expect(view.sla.state).toBe('breached');
    expect(view.sla.breaches).toEqual([expect.objectContaining({ breachId, kind: 'first_response', status: 'detected' })]);
    const queue = (await t.http.get('/api/v1/queues/me', AGENT)).body.items as { disputeId: string; slaState: string }[];
    expect(queue[0]).toMatchObject({ disputeId: chat, slaState: 'breached' });
    expect(queue.find((i) => i.disputeId === email)).toMatchObject({ slaState: 'ok' });
  });

  it('confirms the breach: the customer gets an apology and a coupon, the agent and department their penalties, and reports count it', async () => {
    expect((await t.http.post(`/api/v1/sla/breaches/${breachId}/confirm`, AGENT, { reason: 'late' })).status).toBe(403);
    // If-Match is honoured as on every write: a stale version is refused with 412 and writes nothing.
    const before = await t.http.get(`/api/v1/disputes/${chat}`, SUPERVISOR);
    const version = Number(before.headers.get('etag')!.replace(/"/g, ''));
    const stale = await t.http.post(
      `/api/v1/sla/breaches/${breachId}/confirm`,
      SUPERVISOR,
      { reason: 'late' },
      { 'If-Match': `"${version - 1}"` },
    );
    expect(stale.status).toBe(412);
    expect((await t.http.get(`/api/v1/disputes/${chat}`, SUPERVISOR)).headers.get('etag')).toBe(`"${version}"`);
    const staleExempt = await t.http.post(`/api/v1/sla/breaches/${breachId}/exempt`, SUPERVISOR, { reason: 'x' }, { 'If-Match': '"1"' });
    expect(staleExempt.status).toBe(412);
    const confirmed = await t.http.post(
      `/api/v1/sla/breaches/${breachId}/confirm`,
      SUPERVISOR,
      { reason: 'agent was away' },
      { 'If-Match': `"${version}"` },
    );
    expect(confirmed.status).toBe(200);
    expect(Number(confirmed.headers.get('etag')!.replace(/"/g, ''))).toBeGreaterThan(version);
    // Issue 14: remedies are entitlements (no compensation, nothing awaiting payment).
    expect(confirmed.body.compensations).toEqual([]);
    expect(confirmed.body.status).toBe('open');
    expect(confirmed.body.sla.remedies.map((c: { type: string; status: string }) => [c.type, c.status])).toEqual([
      ['apology', 'issued'],
      ['coupon', 'issued'],
    ]);
    expect((await t.http.post(`/api/v1/sla/breaches/${breachId}/confirm`, SUPERVISOR, { reason: 'again' })).status).toBe(409);

    const period = `from=2026-04-01T00:00:00Z&to=2026-05-01T00:00:00Z`;
    const byAgent = (await t.http.get(`/api/v1/reports/sla-breaches?${period}&groupBy=agent`, ANALYST)).body.rows;
    expect(byAgent).toEqual([
      expect.objectContaining({ key: 'agent-s', detected: 1, confirmed: 1, exempted: 0, points: -2, actions: { warning: 1, training: 1 } }),
    ]);
    const byDepartment = (await t.http.get(`/api/v1/reports/sla-breaches?${period}&groupBy=department`, SUPERVISOR)).body.rows;
    expect(byDepartment).toEqual([expect.objectContaining({ key: 'care', detected: 1, confirmed: 1, points: -1, actions: {} })]);
    const byChannel = (await t.http.get(`/api/v1/reports/sla-breaches?${period}&groupBy=channel`, AUDITOR)).body.rows;
    expect(byChannel.find((r: { key: string }) => r.key === 'chat')).toMatchObject({ detected: 1, confirmed: 1 });
    const monthly = (await t.http.get('/api/v1/reports/sla/monthly?month=2026-04', ANALYST)).body;
    expect(monthly.agents[0]).toMatchObject({ key: 'agent-s', confirmed: 1, points: -2 });
    expect(monthly.customerCompensation).toMatchObject({
      issued: 2,
      byType: { apology: 1, coupon: 1 },
      revoked: 0,
      apologies: { owed: 1, sent: 0 },
    });
    expect((await t.http.get(`/api/v1/reports/sla-breaches?${period}`, AGENT)).status).toBe(403);
  });

  it('reverses the penalties when a confirmed breach is exempted, never editing them', async () => {
    const exempted = await t.http.post(`/api/v1/sla/breaches/${breachId}/exempt`, SUPERVISOR, { reason: 'system outage' });
    expect(exempted.status).toBe(200);
    expect(exempted.body.sla.breaches[0].status).toBe('exempted');
    const period = `from=2026-04-01T00:00:00Z&to=2026-05-01T00:00:00Z`;
    const byAgent = (await t.http.get(`/api/v1/reports/sla-breaches?${period}&groupBy=agent`, ANALYST)).body.rows;
    expect(byAgent).toEqual([expect.objectContaining({ key: 'agent-s', confirmed: 0, exempted: 1, points: 0, actions: {} })]);
    const trail = (await t.http.get('/api/v1/audit/events?actorId=sla-penalty-processor&limit=50', AUDITOR)).body.items.map(
      (e: { type: string; streamId: string }) => [e.type, e.streamId],
    );
    expect(trail).toEqual([
      ['PenaltyApplied', 'agent-agent-s'],
      ['PenaltyApplied', 'department-care'],
      ['PenaltyReversed', 'agent-agent-s'],
      ['PenaltyReversed', 'department-care'],
    ]);
  });

  it('adds a 3-month service upgrade when the first response is over 2 hours late', async () => {
    const late = await fileAssigned(t, 'chat', 'sla-late');
    advance(3 * 3_600_000);
    await t.app.get(BreachScheduler).tick();
    const [breach] = await breachEvents(t, late);
    const confirmed = await t.http.post(`/api/v1/sla/breaches/${breach.data.breachId}/confirm`, SUPERVISOR, { reason: 'late' });
    expect(confirmed.body.sla.remedies.map((c: { type: string }) => c.type)).toEqual(['apology', 'coupon', 'service_upgrade']);
  });

  it('replays history under a proposed policy and writes nothing', async () => {
    // The previous case's confirmation makes the penalty processor append: reports wait for it to settle.
    expect((await t.http.get('/api/v1/reports/sla/monthly?month=2026-04', ANALYST)).status).toBe(200);
    const head = (await t.http.get('/health')).body.eventStore.headPosition;
    const relaxed = { ...twoSecondChat, firstResponse: { ...twoSecondChat.firstResponse, chat: { target: 'PT24H', clock: 'calendar' } } };
    const report = await t.http.post('/api/v1/sla/what-if', ANALYST, { policy: relaxed });
    expect(report.status).toBe(200);
    expect(report.body.current.breaches.first_response).toBeGreaterThanOrEqual(2);
    expect(report.body.proposed.breaches.first_response).toBe(0);
    expect(report.body.onlyUnderCurrent.length).toBe(report.body.current.breaches.first_response);
    expect(report.body.current.remedies.service_upgrade).toBeGreaterThanOrEqual(1);
    expect((await t.http.get('/health')).body.eventStore.headPosition).toBe(head);
    expect((await t.http.post('/api/v1/sla/what-if', AGENT, { policy: relaxed })).status).toBe(403);
  });
});

describe('a deadline that passes while the service is down', () => {
  // The timer is effectively off (an hour): only the start-up tick runs.
  const startupOnly = { SLA_SCHEDULER_INTERVAL_MS: '3600000' };
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-sla-down-'));
  afterAll(() => removeDir(dataDir));

  it('is detected at start, once', async () => {
    let t = await startTestApp({ dataDir, clock, env });
    await t.http.call('PUT', '/api/v1/sla/policy', { token: ADMIN, body: twoSecondChat });
    const id = await fileAssigned(t, 'chat', 'sla-down');
    await t.close();

    advance(60_000); // the deadline passes while nothing runs
    t = await startTestApp({ dataDir, clock, env: startupOnly });
    await t.app.get(BreachScheduler).tick(); // joins the start-up tick when it is still running
    expect(await breachEvents(t, id)).toHaveLength(1);
    // The read models followed (the restarted instance had to learn policy version 2 from the log).
    expect((await t.http.get('/health')).body.projections.every((p: { error: string | null }) => p.error === null)).toBe(true);
    expect((await t.http.get(`/api/v1/disputes/${id}`, AGENT)).body.sla.state).toBe('breached');
    await t.close();

    t = await startTestApp({ dataDir, clock, env: startupOnly });
    expect(await t.app.get(BreachScheduler).tick()).toBe(0);
    expect(await breachEvents(t, id)).toHaveLength(1);
    await t.close();
  });
});
