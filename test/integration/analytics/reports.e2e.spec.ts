import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seed } from '../../../src/cli/commands/seed';
import { BreachScheduler } from '../../../src/sla-supervision/application/breach-scheduler';
import { EVENT_STORE, EventStore, StoredEvent } from '../../../src/shared/event-sourcing/event-store.port';
import { historyEventOf, historyOf } from '../../../src/read-models/statistics/dispute-histories';
import { computeReport, StatParams } from '../../../src/read-models/statistics/report-kit';
import { statReportNamed, STAT_REPORTS } from '../../../src/read-models/statistics/statistics';
import { costSettingsFrom } from '../../../src/read-models/statistics/cost-settings';
import { PSEUDONYMIZER, Pseudonymizer } from '../../../src/privacy/pseudonym';
import { compensationRows } from '../../../src/read-models/disputes/disputes.rows';
import { median } from '../../../src/read-models/reports/report-queries';
import { percentile } from '../../../src/read-models/sla-reports/sla-report-queries';
import { couponValue } from '../../../src/sla/domain/breach-remedies';
import { secondsToMs } from '../../../src/shared/durations';
import { tokenFor } from '../../support/http-client';
import { removeDir, startTestApp, TestApp } from '../../support/test-app';

const ANALYST = tokenFor('analyst', 'ana-r');
const AGENT = tokenFor('agent', 'agent-r');
const START = Date.parse('2026-03-02T04:00:00.000Z');
let now = START;
const PERIOD = 'from=2025-12-01T00:00:00.000Z&to=2026-04-01T00:00:00.000Z';

/**
 * The statistics over a seeded data set through HTTP: point in time (a report asKnownAt before an exemption
 * equals the figure computed then), lineage (a row recomputed from exactly the events its lineage names), no
 * customer or order id in any report.
 */
describe('statistics reports over HTTP (issue 17)', () => {
  let t: TestApp;
  let store: EventStore;
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-reports-'));

  beforeAll(async () => {
    await seed({ disputes: 40, dataDir, months: 2, concurrency: 8, randomSeed: 23, now: new Date(START) });
    t = await startTestApp({ dataDir, clock: { now: () => new Date(now) } });
    await t.app.get(BreachScheduler).tick();
    store = t.app.get<symbol, EventStore>(EVENT_STORE);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    removeDir(dataDir);
  });

  const get = async (path: string) => {
    const reply = await t.http.get(path, ANALYST);
    expect({ path, status: reply.status }).toEqual({ path, status: 200 });
    return reply.body;
  };

  it('serves every report with no customer or order id in it', async () => {
    const log = await store.readAll();
    const ids = new Set(log.filter((e) => e.type === 'DisputeFiled').flatMap((e) => [String(e.data.customerId), String(e.data.orderId)]));
    for (const report of STAT_REPORTS)
      for (const groupBy of report.groupBys) {
        const body = await get(`/api/v1/reports/${report.name}?${PERIOD}&groupBy=${groupBy}`);
        expect(body).toMatchObject({ report: report.name, groupBy, asKnownAt: null, basis: 'every event recorded so far' });
        if (report.name !== 'repeats') expect(body.rows.length).toBeGreaterThan(0);
        const text = JSON.stringify(body);
        expect([...ids].filter((id) => text.includes(id))).toEqual([]);
      }
  });

  it('as known before an exemption, a report equals the figure computed at that time', async () => {
    const before = await get(`/api/v1/reports/categories?${PERIOD}`);
    const slaBefore = await get(`/api/v1/reports/sla-breaches?${PERIOD}&groupBy=department`);
    const knownAt = new Date(now).toISOString();
    const breaches = (
      await (await fetch(`${t.baseUrl}/api/v1/exports/breaches`, { headers: { authorization: `Bearer ${ANALYST}` } })).text()
    )
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const breach = breaches.find((b) => b.status === 'detected' && b.department);
    expect(breach).toBeDefined();

    now += 3_600_000;
    const supervisor = tokenFor('supervisor', 'sup-r', { department: breach.department });
    const exempted = await t.http.post(`/api/v1/sla/breaches/${breach.breach_id}/exempt`, supervisor, { reason: 'carrier strike' });
    expect(exempted.status).toBe(200);

    const after = await get(`/api/v1/reports/categories?${PERIOD}`);
    const row = (body: { rows: { key: string; exemptedBreaches: number }[] }) => body.rows.find((r) => r.key === breach.category)!;
    expect(row(after).exemptedBreaches).toBe(row(before).exemptedBreaches + 1);

    const asKnown = await get(`/api/v1/reports/categories?${PERIOD}&asKnownAt=${knownAt}`);
    expect(asKnown.rows).toEqual(before.rows);
    expect(asKnown.asKnownAt).toBe(knownAt);
    expect(asKnown.basis).toContain(`recorded by ${knownAt}`);

    // The read-model reports too: replayed from the events recorded by then, through the same projections.
    const slaAfter = await get(`/api/v1/reports/sla-breaches?${PERIOD}&groupBy=department`);
    const exemptedIn = (body: { rows: { key: string; exempted: number }[] }) =>
      body.rows.find((r) => r.key === breach.department)!.exempted;
    expect(exemptedIn(slaAfter)).toBe(exemptedIn(slaBefore) + 1);
    const slaAsKnown = await get(`/api/v1/reports/sla-breaches?${PERIOD}&groupBy=department&asKnownAt=${knownAt}`);
    expect(slaAsKnown).toEqual({ ...slaBefore, asKnownAt: knownAt, basis: expect.stringContaining(knownAt) });
  });

  it('every read-model report as known now equals the live one', async () => {
    const at = new Date(now).toISOString();
    for (const path of [`compensations?${PERIOD}&groupBy=category`, `funnel?${PERIOD}`, 'sla/monthly?month=2026-02']) {
      const live = await get(`/api/v1/reports/${path}`);
      const known = await get(`/api/v1/reports/${path}&asKnownAt=${at}`);
      expect({ path, known }).toEqual({ path, known: { ...live, asKnownAt: at, basis: expect.any(String) } });
    }
  });

  it.each(['categories', 'costs', 'satisfaction', 'stages'])(
    '%s: a row recomputes from exactly the events its lineage names',
    async (name) => {
      const report = statReportNamed(name)!;
      const body = await get(`/api/v1/reports/${name}?${PERIOD}`);
      const row = body.rows[0];
      const lineage = await get(`/api/v1/reports/${name}/rows/${encodeURIComponent(row.key)}/lineage?${PERIOD}`);
      expect(lineage.row).toEqual(row);
      expect(lineage.disputeIds).toHaveLength(row.disputes);
      const byId = new Map((await store.readAll()).map((e) => [e.eventId, e] as const));
      const events = lineage.events.map((e: { eventId: string }) => byId.get(e.eventId)!) as StoredEvent[];
      const streams = new Map<string, StoredEvent[]>();
      for (const e of events) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
      expect([...streams.keys()].sort()).toEqual(lineage.disputeIds.map((id: string) => `dispute-${id}`).sort());
      const params: StatParams = {
        groupBy: report.groupBys[0],
        costs: costSettingsFrom(),
        pseudonyms: t.app.get<symbol, Pseudonymizer>(PSEUDONYMIZER),
      };
      const again = await computeReport(
        report,
        [...streams.values()].map((s) => historyOf(s.map(historyEventOf))!),
        params,
      );
      // The row again, from those events alone (a dispute may also make other rows: every stage it went through).
      expect(again.rows.find((r) => r.key === row.key)).toEqual(row);
    },
  );

  it('compensations (read-model report): a row recomputes from the events its lineage names', async () => {
    const body = await get(`/api/v1/reports/compensations?${PERIOD}&groupBy=category`);
    const row = body.rows[0];
    const lineage = await get(`/api/v1/reports/compensations/rows/${row.key}/lineage?${PERIOD}&groupBy=category`);
    expect(lineage.row).toMatchObject(row);
    expect(lineage.compensationIds).toHaveLength(row.count);
    const byId = new Map((await store.readAll()).map((e) => [e.eventId, e] as const));
    const streams = new Map<string, StoredEvent[]>();
    for (const { eventId } of lineage.events as { eventId: string }[]) {
      const e = byId.get(eventId)!;
      streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
    }
    const [from, to] = ['2025-12-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'];
    const paid = [...streams.values()]
      .flatMap((events) => compensationRows(historyOf(events.map(historyEventOf))!.state))
      .filter((c) => c.status === 'paid' && c.paid_at! >= from && c.paid_at! < to && c.category === row.key);
    expect({ count: paid.length, amount: paid.reduce((n, c) => n + c.amount, 0) }).toEqual({ count: row.count, amount: row.amount.amount });
  });

  it('filters by department (as known then) and answers the lineage of keys holding a slash', async () => {
    const all = await get(`/api/v1/reports/satisfaction?${PERIOD}&groupBy=department`);
    const department = all.rows.find((r: { key: string }) => r.key !== 'unassigned').key as string;
    const one = await get(`/api/v1/reports/satisfaction?${PERIOD}&groupBy=department&department=${department}`);
    expect(one.rows).toEqual(all.rows.filter((r: { key: string }) => r.key === department));

    const stages = await get(`/api/v1/reports/stages?${PERIOD}&groupBy=category`);
    const row = stages.rows[0];
    expect(row.key).toContain('/');
    const lineage = await get(`/api/v1/reports/stages/rows/${encodeURIComponent(row.key)}/lineage?${PERIOD}&groupBy=category`);
    expect(lineage.row).toEqual(row);
    expect(lineage.disputeIds).toHaveLength(row.disputes);
  });

  /** The lineage's events, read back from the log and grouped by stream (checking each is named once, in log order). */
  const eventsOf = async (lineage: { events: { eventId: string; position: number }[] }) => {
    const byId = new Map((await store.readAll()).map((e) => [e.eventId, e] as const));
    const positions = lineage.events.map((e) => e.position);
    expect(positions).toEqual([...new Set(positions)].sort((a, b) => a - b));
    const streams = new Map<string, StoredEvent[]>();
    for (const { eventId, position } of lineage.events) {
      const e = byId.get(eventId)!;
      expect(e.position).toBe(position);
      streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
    }
    return streams;
  };
  const inPeriod = (at: string, from = '2025-12-01T00:00:00.000Z', to = '2026-04-01T00:00:00.000Z') => at >= from && at < to;
  const seconds = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;

  /** The event types that make each funnel figure (besides the filing), and the forum of an escalation. */
  const FUNNEL_MAKERS: Record<string, (e: StoredEvent) => boolean> = {
    filed: () => false,
    acknowledged: (e) => e.type === 'DisputeAcknowledged',
    negotiation: (e) => e.type === 'DisputeNegotiated',
    mediation: (e) => e.type === 'DisputeEscalated' && e.data.forum === 'mediation',
    arbitration: (e) => e.type === 'DisputeEscalated' && e.data.forum === 'arbitration',
    litigation: (e) => e.type === 'DisputeEscalated' && e.data.forum === 'litigation',
    compensated: (e) => e.type === 'DisputeCompensated',
    closed: (e) => e.type === 'DisputeClosed',
    rejected: (e) => e.type === 'DisputeRejected',
    withdrawn: (e) => e.type === 'DisputeWithdrawn',
    resolved: (e) => ['DisputeCompensated', 'DisputeClosed', 'DisputeRejected', 'DisputeWithdrawn'].includes(e.type),
    escalated: (e) => e.type === 'DisputeEscalated',
  };

  it.each(Object.keys(FUNNEL_MAKERS))('funnel %s: the figure recomputes from exactly the events its lineage names', async (key) => {
    const funnel = await get(`/api/v1/reports/funnel?${PERIOD}`);
    const lineage = await get(`/api/v1/reports/funnel/rows/${key}/lineage?${PERIOD}`);
    const streams = await eventsOf(lineage);
    expect([...streams.keys()].sort()).toEqual(lineage.disputeIds.map((id: string) => `dispute-${id}`));
    const makes = FUNNEL_MAKERS[key];
    const times: number[] = [];
    for (const events of streams.values()) {
      // Each dispute: its filing in the period, then only the events that made it reach the figure (the first of each).
      const [filing, ...rest] = events;
      expect(filing.type).toBe('DisputeFiled');
      expect(inPeriod(String(filing.data.at))).toBe(true);
      expect(rest.every(makes)).toBe(true);
      if (key !== 'filed') expect(rest.length).toBeGreaterThan(0);
      if (key === 'resolved') times.push(seconds(String(filing.data.at), String(rest[0].data.at)));
    }
    const figure =
      key === 'resolved'
        ? funnel.resolved
        : key === 'escalated'
          ? Math.round(funnel.escalationRates.any * funnel.stages.filed)
          : funnel.stages[key];
    expect(streams.size).toBe(figure);
    expect(lineage.row).toMatchObject({ key, disputes: figure });
    if (key === 'resolved') expect(median(times.sort((a, b) => a - b))).toBe(funnel.medianTimeToResolutionSeconds);
    if (['filed', 'acknowledged', 'resolved', 'closed'].includes(key)) expect(figure).toBeGreaterThan(0);
  });

  /**
   * A row of the SLA breach report, recomputed from the lineage's events alone (independently of the projections):
   * breaches from `SlaBreached` and their last decision, first responses from filing and acknowledgement, the
   * dispute's current agent or department from its last assignment, points and actions from `PenaltyApplied`,
   * remedies from their issue.
   */
  const recomputeSlaRow = (streams: Map<string, StoredEvent[]>, groupBy: string, key: string, from: string, to: string) => {
    const keyOf = (value: unknown) => (value ?? 'unassigned') as string;
    const row = { key, detected: 0, confirmed: 0, exempted: 0, points: 0, actions: {} as Record<string, number>, remedies: 0 };
    const times: number[] = [];
    for (const events of [...streams.values()]) {
      const filing = events.find((e) => e.type === 'DisputeFiled');
      const status = new Map<string, string>();
      for (const e of events) {
        if (e.type === 'SlaBreached') {
          expect(inPeriod(String(e.data.detectedAt), from, to)).toBe(true);
          const dimension = groupBy === 'channel' ? filing!.data.channel : groupBy === 'agent' ? e.data.assignee : e.data.department;
          expect(keyOf(dimension)).toBe(key);
          status.set(String(e.data.breachId), 'detected');
        }
        if (e.type === 'SlaBreachConfirmed') status.set(String(e.data.breachId), 'confirmed');
        if (e.type === 'SlaBreachExempted') status.set(String(e.data.breachId), 'exempted');
        if (e.type === 'BreachRemedyIssued' || e.type === 'CompensationProposed') row.remedies++;
        if (e.type === 'PenaltyApplied') {
          row.points += Number(e.data.points);
          for (const action of e.data.actions as string[])
            if (action !== 'points_deducted') row.actions[action] = (row.actions[action] ?? 0) + 1;
        }
      }
      for (const s of status.values()) {
        row.detected++;
        if (s === 'confirmed') row.confirmed++;
        if (s === 'exempted') row.exempted++;
      }
      const ack = events.find((e) => e.type === 'DisputeAcknowledged');
      if (ack) {
        expect(inPeriod(String(filing!.data.at), from, to)).toBe(true);
        const assigned = events.filter((e) => e.type === 'DisputeAssigned').pop();
        const dimension =
          groupBy === 'channel'
            ? filing!.data.channel
            : groupBy === 'agent'
              ? assigned?.data.agentId
              : assigned
                ? assigned.data.department
                : filing!.data.department;
        expect(keyOf(dimension)).toBe(key);
        times.push(Math.round(seconds(String(filing!.data.at), String(ack.data.respondedAt))));
      }
    }
    times.sort((a, b) => a - b);
    const [medianSeconds, p90Seconds] = [median(times), percentile(times, 0.9)];
    return {
      ...row,
      medianFirstResponseSeconds: medianSeconds,
      p90FirstResponseSeconds: p90Seconds,
      medianFirstResponseMs: secondsToMs(medianSeconds),
      p90FirstResponseMs: secondsToMs(p90Seconds),
    };
  };

  const SLA_MAKERS = new Set([
    'DisputeFiled',
    'DisputeAssigned',
    'DisputeAcknowledged',
    'SlaBreached',
    'SlaBreachConfirmed',
    'SlaBreachExempted',
    'BreachRemedyIssued',
    'CompensationProposed',
    'PenaltyApplied',
  ]);

  it('confirmed breaches bring penalties and remedies into the SLA rows', async () => {
    const exported = await (
      await fetch(`${t.baseUrl}/api/v1/exports/breaches`, { headers: { authorization: `Bearer ${ANALYST}` } })
    ).text();
    const detected = exported
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((b) => b.status === 'detected' && b.department);
    // A first-response breach (confirming one issues the customer's remedies) and two with an agent (penalties).
    const firstResponse = detected.find((b) => b.kind === 'first_response');
    expect(firstResponse).toBeDefined();
    const withAgent = detected.filter((b) => b.assignee && b !== firstResponse).slice(0, 2);
    expect(withAgent).toHaveLength(2);
    for (const breach of [firstResponse, ...withAgent]) {
      const supervisor = tokenFor('supervisor', 'sup-r', { department: breach.department });
      const confirmed = await t.http.post(`/api/v1/sla/breaches/${breach.breach_id}/confirm`, supervisor, { reason: 'the call came late' });
      expect(confirmed.status).toBe(200);
    }
    const body = await get(`/api/v1/reports/sla-breaches?${PERIOD}&groupBy=agent`);
    expect(body.rows.reduce((n: number, r: { points: number }) => n + Math.abs(r.points), 0)).toBeGreaterThan(0);
    expect(body.rows.reduce((n: number, r: { remedies: number }) => n + r.remedies, 0)).toBeGreaterThan(0);
  });

  it.each(['agent', 'department', 'channel'])(
    'sla-breaches by %s: every row recomputes from exactly the events its lineage names',
    async (groupBy) => {
      const body = await get(`/api/v1/reports/sla-breaches?${PERIOD}&groupBy=${groupBy}`);
      expect(body.rows.length).toBeGreaterThan(0);
      const customerIds = new Set(
        (await store.readAll())
          .filter((e) => e.type === 'DisputeFiled')
          .flatMap((e) => [String(e.data.customerId), String(e.data.orderId)]),
      );
      let penalised = 0;
      for (const row of body.rows) {
        const lineage = await get(`/api/v1/reports/sla-breaches/rows/${encodeURIComponent(row.key)}/lineage?${PERIOD}&groupBy=${groupBy}`);
        expect(lineage).toMatchObject({
          report: 'sla-breaches',
          key: row.key,
          asKnownAt: null,
          row: { ...row, disputes: lineage.disputeIds.length },
        });
        const streams = await eventsOf(lineage);
        const types = new Set([...streams.values()].flat().map((e) => e.type));
        expect([...types].filter((type) => !SLA_MAKERS.has(type))).toEqual([]);
        expect(lineage.breachIds).toHaveLength(row.detected);
        expect(lineage.remedyIds).toHaveLength(row.remedies);
        const disputes = new Set([...streams.values()].flat().map((e) => String(e.data.disputeId)));
        expect([...disputes].sort()).toEqual(lineage.disputeIds);
        expect(recomputeSlaRow(streams, groupBy, row.key, '2025-12-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z')).toEqual(row);
        penalised += lineage.penaltyIds.length;
        const text = JSON.stringify(lineage);
        expect([...customerIds].filter((id) => text.includes(id))).toEqual([]);
      }
      if (groupBy !== 'channel') expect(penalised).toBeGreaterThan(0);
    },
  );

  it('sla/monthly: an agents and a departments row recompute from their lineage; asKnownAt now equals live', async () => {
    const monthly = await get('/api/v1/reports/sla/monthly?month=2026-03');
    for (const [section, groupBy] of [
      ['agents', 'agent'],
      ['departments', 'department'],
    ] as const) {
      const row = monthly[section].find((r: { detected: number }) => r.detected > 0);
      expect(row).toBeDefined();
      const path = `/api/v1/reports/sla/monthly/rows/${encodeURIComponent(row.key)}/lineage?month=2026-03&section=${section}`;
      const lineage = await get(path);
      expect(lineage).toMatchObject({ report: 'sla/monthly', key: row.key, row: { ...row, disputes: lineage.disputeIds.length } });
      expect(recomputeSlaRow(await eventsOf(lineage), groupBy, row.key, monthly.from, monthly.to)).toEqual(row);
      const at = new Date(now).toISOString();
      expect(await get(`${path}&asKnownAt=${at}`)).toEqual({ ...lineage, asKnownAt: at });
    }
    expect((await t.http.get('/api/v1/reports/sla/monthly/rows/x/lineage?month=2026-03&section=teams', ANALYST)).status).toBe(400);
  });

  it('sla/monthly remedies and investigations: each figure recomputes from the events its lineage names', async () => {
    const monthly = await get('/api/v1/reports/sla/monthly?month=2026-03');
    const types = Object.keys(monthly.customerCompensation.byType);
    expect(types.length).toBeGreaterThan(0);
    for (const type of types) {
      const lineage = await get(`/api/v1/reports/sla/monthly/rows/${type}/lineage?month=2026-03&section=remedies`);
      const events = [...(await eventsOf(lineage)).values()].flat();
      const issued = events.filter((e) => e.type === 'BreachRemedyIssued' || e.type === 'CompensationProposed');
      // Issued in the month, of that type; the rest are their deliveries.
      expect(issued.every((e) => e.data.remedy === type && inPeriod(String(e.data.at), monthly.from, monthly.to))).toBe(true);
      expect(
        events
          .filter((e) => !issued.includes(e))
          .every((e) => ['ApologySent', 'BreachRemedyDelivered', 'CompensationPaid'].includes(e.type)),
      ).toBe(true);
      expect(issued).toHaveLength(monthly.customerCompensation.byType[type]);
      expect(lineage.remedyIds).toHaveLength(issued.length);
      expect(lineage.row).toMatchObject({ key: type, issued: issued.length });
      if (type === 'coupon')
        expect(
          issued.reduce((n, e) => {
            const coupon = e.data.coupon as { percent: number; appliesTo: { amount: number } | null };
            return n + couponValue(coupon.percent, coupon.appliesTo?.amount ?? null);
          }, 0),
        ).toBe(monthly.customerCompensation.couponValue.amount);
      if (type === 'apology') {
        const sent = events.filter((e) => e.type === 'ApologySent').length;
        expect({ owed: issued.length - sent, sent }).toEqual(monthly.customerCompensation.apologies);
      }
    }
    const missed = await get('/api/v1/reports/sla/monthly/rows/missedDeadline/lineage?month=2026-03&section=investigations');
    expect(missed.row).toMatchObject({ key: 'missedDeadline', missedDeadline: monthly.investigations.missedDeadline });
    const overdue = [...(await eventsOf(missed)).values()].flat();
    expect(overdue.every((e) => e.type === 'SlaInvestigationOverdue' && inPeriod(String(e.data.at), monthly.from, monthly.to))).toBe(true);
    expect(overdue).toHaveLength(monthly.investigations.missedDeadline);
    const wrong = await t.http.get('/api/v1/reports/sla/monthly/rows/late/lineage?month=2026-03&section=investigations', ANALYST);
    expect(wrong.status).toBe(404);
  });

  it('lineage as known before an exemption names the events known then, and the row as it stood', async () => {
    const breaches = (
      await (await fetch(`${t.baseUrl}/api/v1/exports/breaches`, { headers: { authorization: `Bearer ${ANALYST}` } })).text()
    )
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const breach = breaches.find((b) => b.status === 'detected' && b.department);
    expect(breach).toBeDefined();
    const path = `/api/v1/reports/sla-breaches/rows/${encodeURIComponent(breach.department)}/lineage?${PERIOD}&groupBy=department`;
    const before = await get(path);
    const knownAt = new Date(now).toISOString();
    now += 3_600_000;
    const supervisor = tokenFor('supervisor', 'sup-r', { department: breach.department });
    expect((await t.http.post(`/api/v1/sla/breaches/${breach.breach_id}/exempt`, supervisor, { reason: 'flood' })).status).toBe(200);
    const after = await get(path);
    expect(after.row.exempted).toBe(before.row.exempted + 1);
    expect(after.events.map((e: { type: string }) => e.type)).toContain('SlaBreachExempted');
    expect(await get(`${path}&asKnownAt=${knownAt}`)).toEqual({ ...before, asKnownAt: knownAt });
    // The funnel's lineage cuts the log there too.
    const funnelNow = await get(`/api/v1/reports/funnel/rows/filed/lineage?${PERIOD}`);
    expect(await get(`/api/v1/reports/funnel/rows/filed/lineage?${PERIOD}&asKnownAt=${knownAt}`)).toEqual({
      ...funnelNow,
      asKnownAt: knownAt,
    });
  });

  it('refuses a funnel key it does not have, and auditors the funnel as the report does', async () => {
    const unknown = await t.http.get(`/api/v1/reports/funnel/rows/nowhere/lineage?${PERIOD}`, ANALYST);
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.body)).toContain('acknowledged');
    expect((await t.http.get(`/api/v1/reports/funnel/rows/filed/lineage?${PERIOD}`, tokenFor('auditor', 'aud-r'))).status).toBe(403);
    expect((await t.http.get(`/api/v1/reports/funnel/rows/filed/lineage?from=yesterday&to=2026-04-01T00:00:00Z`, ANALYST)).status).toBe(
      400,
    );
  });

  it('refuses agents and bad parameters, naming the field', async () => {
    expect((await t.http.get(`/api/v1/reports/satisfaction?${PERIOD}`, AGENT)).status).toBe(403);
    const bad = await t.http.get(`/api/v1/reports/costs?${PERIOD}&groupBy=colour`, ANALYST);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('groupBy');
    const when = await t.http.get(`/api/v1/reports/costs?${PERIOD}&asKnownAt=soon`, ANALYST);
    expect(when.status).toBe(400);
    expect(JSON.stringify(when.body)).toContain('asKnownAt');
    expect((await t.http.get(`/api/v1/reports/nothing/rows/x/lineage?${PERIOD}`, ANALYST)).status).toBe(404);
  });
});
