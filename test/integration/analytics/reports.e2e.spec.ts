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
