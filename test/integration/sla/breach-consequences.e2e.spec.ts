import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BreachScheduler } from '../../../src/sla-supervision/application/breach-scheduler';
import { DEFAULT_SLA_POLICY } from '../../../src/sla/domain/sla-policy';
import { fileBody, tokenFor } from '../../support/http-client';
import { removeDir, startTestApp, TestApp } from '../../support/test-app';

/**
 * Issue 14, "done when": a confirmed first-response breach blocks nothing; exempting it revokes the customer's
 * remedies and recomputes a later suspension; a suspended agent is refused, writes a report, is reinstated after
 * approval; the investigation deadline fires once; the published month equals the monthly report.
 * The public page itself is checked in Chromium by public-page.browser.spec.ts.
 */
const AGENT = tokenFor('agent', 'agent-s', { department: 'care' });
const SUPERVISOR = tokenFor('supervisor', 'sup-s', { department: 'care' });
const MANAGER = tokenFor('manager', 'mgr-s', { department: 'care' });
const ADMIN = tokenFor('admin', 'adm-s');
const AUDITOR = tokenFor('auditor', 'aud-s');

let now = Date.parse('2026-04-06T02:00:00.000Z'); // a Monday, 10:00 in Shanghai
const clock = { now: () => new Date(now) };
const advance = (ms: number) => (now += ms);
const purchase = { purchasedAt: '2026-04-01T00:00:00.000Z', deliveredAt: '2026-04-02T00:00:00.000Z' };
const twoSecondChat = {
  ...DEFAULT_SLA_POLICY,
  firstResponse: { ...DEFAULT_SLA_POLICY.firstResponse, chat: { target: 'PT2S', clock: 'calendar' } },
};
type Ev = { type: string; data: Record<string, any> };

export async function scenario(t: TestApp) {
  const events = async (id: string) => (await t.http.get(`/api/v1/disputes/${id}/events`, AUDITOR)).body.items as Ev[];
  const breachOf = async (id: string) => (await events(id)).find((e) => e.type === 'SlaBreached')!.data.breachId as string;
  const view = async (id: string) => (await t.http.get(`/api/v1/disputes/${id}`, SUPERVISOR)).body;
  const monthly = async () => (await t.http.get('/api/v1/reports/sla/monthly?month=2026-04', MANAGER)).body;
  const standing = async () => (await t.http.get('/api/v1/sla/standing/agents/agent-s', SUPERVISOR)).body;
  const file = async (token: string, customerId: string) => {
    const filed = await t.http.post('/api/v1/disputes', token, fileBody({ ...purchase, channel: 'chat', customerId }));
    expect(filed.status).toBe(201);
    return filed.body.id as string;
  };
  const fileAssigned = async (customerId: string) => {
    const id = await file(AGENT, customerId);
    expect((await t.http.post(`/api/v1/disputes/${id}/assign`, AGENT, { agentId: 'agent-s', department: 'care' })).status).toBe(200);
    return id;
  };
  return { events, breachOf, view, monthly, standing, file, fileAssigned };
}

describe('SLA breaches with consequences that bind (issue 14)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-sla14-'));
  let t: TestApp;
  let s: Awaited<ReturnType<typeof scenario>>;
  const ids: string[] = [];
  const breaches: string[] = [];
  beforeAll(async () => {
    t = await startTestApp({ dataDir, clock, env: { SLA_SCHEDULER_INTERVAL_MS: '0' } });
    s = await scenario(t);
    expect((await t.http.call('PUT', '/api/v1/sla/policy', { token: ADMIN, body: twoSecondChat })).status).toBe(200);
  });
  afterAll(async () => {
    await t.close();
    removeDir(dataDir);
  });

  it('detects four first-response breaches, each opening an investigation due in 3 working days', async () => {
    for (let n = 1; n <= 4; n++) ids.push(await s.fileAssigned(`cust-14-${n}`));
    advance(3000);
    await t.app.get(BreachScheduler).tick();
    for (const id of ids) breaches.push(await s.breachOf(id));
    const queue = await t.http.get('/api/v1/sla/investigations?department=care', SUPERVISOR);
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((i: { breachId: string }) => i.breachId).sort()).toEqual([...breaches].sort());
    expect(queue.body.items[0]).toMatchObject({ status: 'open', dueAt: '2026-04-09T02:00:03.000Z', department: 'care' });
    expect((await t.http.get('/api/v1/sla/investigations', AGENT)).status).toBe(403);
    expect((await t.http.get('/api/v1/sla/investigations?status=bogus', SUPERVISOR)).status).toBe(400);
  });

  it('confirms the first: the customer is owed an apology (with the cause) and a coupon, and nothing is blocked', async () => {
    const confirmed = await t.http.post(`/api/v1/sla/breaches/${breaches[0]}/confirm`, SUPERVISOR, { reason: 'the agent was away' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('open');
    expect(confirmed.body.compensations).toEqual([]);
    const apology = confirmed.body.sla.remedies.find((r: { type: string }) => r.type === 'apology');
    expect(apology.apology.draft).toMatch(/the agent was away/);
    expect(confirmed.body.sla.remedies.find((r: { type: string }) => r.type === 'coupon').coupon).toEqual({
      percent: 10,
      appliesTo: { amount: 19_900, currency: 'CNY' },
    });
    const id = ids[0];
    expect(
      (await t.http.post(`/api/v1/disputes/${id}/escalations`, AGENT, { forum: 'mediation', institution: 'x', reason: 'y' })).status,
    ).toBe(200);
    expect((await t.http.post(`/api/v1/disputes/${id}/outcomes`, AGENT, { forum: 'mediation', result: 'failed' })).status).toBe(200);
    expect((await t.http.post(`/api/v1/disputes/${id}/close`, AGENT, { resolution: 'mediation failed' })).status).toBe(200);
    expect((await t.http.post(`/api/v1/disputes/${id}/reopen`, AGENT, { reason: 'customer came back' })).status).toBe(200);
    expect((await t.app.get(BreachScheduler).tick()) >= 0).toBe(true);
    expect((await s.events(id)).some((e) => e.type === 'SlaBreached' && e.data.kind === 'payment')).toBe(false);
  });

  it('confirms three more: the third brings a suspension, and the suspended agent is refused', async () => {
    for (const b of breaches.slice(1))
      expect((await t.http.post(`/api/v1/sla/breaches/${b}/confirm`, SUPERVISOR, { reason: 'late' })).status).toBe(200);
    const sent = await t.http.post(`/api/v1/disputes/${ids[1]}/apologies/${breaches[1]}-apology/send`, SUPERVISOR, {
      channel: 'chat',
      text: 'We are sorry for the late answer.',
    });
    expect(sent.status).toBe(200);
    await s.monthly(); // settles: penalties executed
    const standing = await s.standing();
    expect(standing).toMatchObject({ rung: 4, pointsThisMonth: -8, suspended: { breachId: breaches[2] } });
    const refused = await t.http.post(`/api/v1/disputes/${ids[3]}/acknowledge`, AGENT, { message: 'hello' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/agent agent-s is suspended .* until their improvement report is approved/);
    const other = await s.file(SUPERVISOR, 'cust-14-x');
    const assign = await t.http.post(`/api/v1/disputes/${other}/assign`, SUPERVISOR, { agentId: 'agent-s', department: 'care' });
    expect(assign.status).toBe(403);
    expect(assign.body.message).toMatch(/cannot be assigned/);
  });

  it('exempting the first breach revokes its remedies and moves the suspension to the fourth', async () => {
    const exempted = await t.http.post(`/api/v1/sla/breaches/${breaches[0]}/exempt`, SUPERVISOR, { reason: 'platform outage' });
    expect(exempted.status).toBe(200);
    expect(exempted.body.sla.remedies.map((r: { status: string; revokedReason: string }) => [r.status, r.revokedReason])).toEqual([
      ['revoked', 'breach exempted: platform outage'],
      ['revoked', 'breach exempted: platform outage'],
    ]);
    const report = await s.monthly();
    expect(report.agents.find((r: { key: string }) => r.key === 'agent-s')).toMatchObject({
      confirmed: 3,
      exempted: 1,
      points: -6,
      remedies: 6, // 3 standing breaches × (apology + coupon)
      actions: { warning: 1, training: 1, suspension: 1, improvement_report: 1 },
    });
    expect(report.customerCompensation).toMatchObject({
      issued: 6,
      revoked: 2,
      apologies: { owed: 2, sent: 1 },
      couponValue: { amount: 5_970 },
    });
    const after = await s.standing();
    expect(after).toMatchObject({ rung: 3, pointsThisMonth: -6, suspended: { breachId: breaches[3] } });
    // The second breach moved up to the first rung: its warning and training are re-issued, due in 3 working days.
    expect(after.openActions).toContainEqual(expect.objectContaining({ action: 'training', breachId: breaches[1], status: 'due' }));
    const trained = await t.http.post(`/api/v1/sla/standing/agents/agent-s/training/${breaches[1]}/complete`, SUPERVISOR, {});
    expect(trained.status).toBe(200);
    expect(
      trained.body.openActions.some((a: { action: string; breachId: string }) => a.action === 'training' && a.breachId === breaches[1]),
    ).toBe(false);
    expect((await t.http.post(`/api/v1/sla/standing/agents/agent-s/training/${breaches[1]}/complete`, SUPERVISOR, {})).status).toBe(409);
  });

  it('the suspended agent writes a report; sent back it keeps them out; approved it reinstates them', async () => {
    expect(
      (await t.http.post('/api/v1/sla/standing/agents/agent-s/improvement-reports', SUPERVISOR, { causes: 'x', fixes: 'y' })).status,
    ).toBe(403);
    const first = await t.http.post('/api/v1/sla/standing/agents/agent-s/improvement-reports', AGENT, {
      causes: 'left the queue',
      fixes: 'alerts',
    });
    expect(first.status).toBe(201);
    const reportId = first.body.history.at(-1).data.reportId as string;
    expect(
      (await t.http.post(`/api/v1/sla/standing/agents/agent-s/improvement-reports/${reportId}/return`, SUPERVISOR, { reason: 'too vague' }))
        .status,
    ).toBe(200);
    expect((await t.http.post(`/api/v1/disputes/${ids[3]}/acknowledge`, AGENT, { message: 'hello' })).status).toBe(403);
    const second = await t.http.post('/api/v1/sla/standing/agents/agent-s/improvement-reports', AGENT, {
      causes: 'I left the chat queue unattended during lunch',
      fixes: 'a colleague covers; queue alerts on my phone',
    });
    const secondId = second.body.history.at(-1).data.reportId as string;
    const approved = await t.http.post(`/api/v1/sla/standing/agents/agent-s/improvement-reports/${secondId}/approve`, SUPERVISOR, {});
    expect(approved.status).toBe(200);
    expect(approved.body.suspended).toBeNull();
    expect((await t.http.post(`/api/v1/disputes/${ids[3]}/acknowledge`, AGENT, { message: 'hello' })).status).toBe(200);
    const dept = await t.http.get('/api/v1/sla/standing/departments/care', MANAGER);
    expect(dept.body).toMatchObject({ subjectType: 'department', rung: 3, pointsThisMonth: -3 });
  });

  it('refuses a complaint-sourced breach, with the reason, when its clock is not yet due or was met', async () => {
    const early = await s.fileAssigned('cust-14-c1');
    const notDue = await t.http.post('/api/v1/sla/breaches', SUPERVISOR, {
      disputeId: early,
      kind: 'first_response',
      note: 'customer says no answer',
    });
    expect(notDue.status).toBe(409);
    expect(notDue.body.message).toMatch(/first_response clock is not yet due: it is due at/);
    expect((await t.http.post(`/api/v1/disputes/${early}/acknowledge`, AGENT, { message: 'hello' })).status).toBe(200);
    advance(3000);
    const met = await t.http.post('/api/v1/sla/breaches', SUPERVISOR, {
      disputeId: early,
      kind: 'first_response',
      note: 'customer says late',
    });
    expect(met.status).toBe(409);
    expect(met.body.message).toMatch(/first_response clock was met: it stopped at .* before its due time/);
    expect((await s.events(early)).some((e) => e.type === 'SlaBreached')).toBe(false);
  });

  it('the investigation deadline of an undecided breach fires once', async () => {
    const id = await s.fileAssigned('cust-14-5');
    advance(3000);
    const scheduler = t.app.get(BreachScheduler);
    await scheduler.tick();
    const breach = await s.breachOf(id);
    advance(4 * 86_400_000); // Friday: past the 3 working days
    await Promise.all([scheduler.tick(), scheduler.tick()]);
    await scheduler.tick();
    expect((await s.events(id)).filter((e) => e.type === 'SlaInvestigationOverdue')).toHaveLength(1);
    const overdue = await t.http.get('/api/v1/sla/investigations?status=overdue', SUPERVISOR);
    expect(overdue.body.items.map((i: { breachId: string }) => i.breachId)).toContain(breach);
    expect(overdue.body.items.every((i: { status: string }) => i.status === 'overdue')).toBe(true);
    expect((await s.monthly()).investigations.missedDeadline).toBe(overdue.body.items.length);
  });

  it('publishes the closed month: the public figures equal the monthly report, under aliases, without customer data', async () => {
    expect((await t.http.post('/api/v1/sla/months/2026-04/publish', MANAGER, {})).status).toBe(409); // not closed yet
    now = Date.parse('2026-04-30T16:00:00.000Z'); // May 1st 00:00 in Shanghai
    expect((await t.http.post('/api/v1/sla/months/2026-04/publish', SUPERVISOR, {})).status).toBe(403);
    const published = await t.http.post('/api/v1/sla/months/2026-04/publish', MANAGER, {});
    expect(published.status).toBe(201);
    const report = await s.monthly();
    const json = await t.http.get('/public/sla/2026-04.json');
    expect(json.status).toBe(200);
    const figures = json.body.figures;
    expect(figures.departments).toEqual(report.departments);
    const agent = report.agents.find((r: { key: string }) => r.key === 'agent-s');
    expect(figures.agents).toEqual([{ ...agent, key: 'Agent 001' }]);
    expect(figures.customerCompensation).toEqual(report.customerCompensation);
    const html = await t.http.get('/public/sla/2026-04');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    for (const secret of ['agent-s', 'cust-14', 'sup-s', ...ids]) {
      expect(JSON.stringify(json.body)).not.toContain(secret);
      expect(html.body).not.toContain(secret);
    }
    expect((await t.http.post('/api/v1/sla/months/2026-04/publish', MANAGER, {})).status).toBe(409); // unchanged
    expect((await t.http.get('/public/sla/2026-05.json')).status).toBe(404);
    expect((await t.http.get('/public/sla/nope')).status).toBe(400);
  });

  it('a later correction publishes a visible revision', async () => {
    expect((await t.http.post(`/api/v1/sla/breaches/${breaches[1]}/exempt`, SUPERVISOR, { reason: 'mis-detected' })).status).toBe(200);
    expect((await t.http.post('/api/v1/sla/months/2026-04/publish', MANAGER, {})).status).toBe(409); // a correction needs a reason
    const revised = await t.http.post('/api/v1/sla/months/2026-04/publish', MANAGER, { reason: 'breach exempted after review' });
    expect(revised.status).toBe(201);
    expect(revised.body).toMatchObject({ revision: 2, reason: 'breach exempted after review' });
    expect(revised.body.revisions.map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
    expect(revised.body.figures.agents[0]).toMatchObject({ key: 'Agent 001', confirmed: 2, exempted: 2 });
    expect((await t.http.get('/public/sla/2026-04')).body).toContain('breach exempted after review');
  });
});
