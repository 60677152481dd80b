import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { seed } from '../../../src/cli/commands/seed';
import { BreachScheduler } from '../../../src/sla-supervision/application/breach-scheduler';
import { EVENT_STORE, EventStore, StoredEvent } from '../../../src/shared/event-sourcing/event-store.port';
import { transitionsOf } from '../../../src/read-models/exports/log-datasets';
import { EXPORT_DATASETS } from '../../../src/read-models/exports/export-datasets';
import { tokenFor } from '../../support/http-client';
import { normalisedTimes, readParquet } from '../../support/parquet-read';
import { removeDir, startTestApp, TestApp } from '../../support/test-app';

const ANALYST = tokenFor('analyst', 'ana-x');
const AGENT = tokenFor('agent', 'agent-x');
const NOW = new Date('2026-03-02T04:00:00.000Z');

/**
 * Every dataset in both formats against the log of a seeded data set (every stage, channel and category,
 * breaches from one scheduler tick, penalties from the processor): row counts match what the log says, and no
 * customer or order id appears anywhere in any export.
 */
describe('exports (issue 17)', () => {
  let t: TestApp;
  let log: StoredEvent[];
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-exports-'));

  beforeAll(async () => {
    await seed({ disputes: 60, dataDir, months: 2, concurrency: 8, randomSeed: 17, now: NOW });
    t = await startTestApp({ dataDir, clock: { now: () => NOW } });
    await t.app.get(BreachScheduler).tick();
    const store = t.app.get<symbol, EventStore>(EVENT_STORE);
    log = await store.readAll();
    // Let the penalty processor apply the breaches' penalties.
    for (let i = 0; i < 50 && (await store.headPosition()) === log[log.length - 1].position; i++) await sleep(50);
    await sleep(500);
    log = await store.readAll();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    removeDir(dataDir);
  });

  const disputeEvents = () => log.filter((e) => e.streamId.startsWith('dispute-'));
  const count = (type: string) => log.filter((e) => e.type === type).length;
  const expectedRows = (): Record<string, number> => {
    const streams = new Map<string, StoredEvent[]>();
    for (const e of disputeEvents()) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
    return {
      disputes: streams.size,
      compensations: count('CompensationProposed'),
      breaches: count('SlaBreached'),
      penalties: log.filter((e) => e.type === 'PenaltyApplied').length,
      feedback: count('FeedbackReceived'),
      transitions: [...streams.values()].reduce((n, events) => n + transitionsOf(events).length, 0),
      events: log.length,
    };
  };

  it('has a data set with every kind of row', () => {
    const expected = expectedRows();
    for (const name of ['disputes', 'compensations', 'breaches', 'feedback', 'transitions', 'events'])
      expect({ name, rows: expected[name] > 0 }).toEqual({ name, rows: true });
  });

  it.each(EXPORT_DATASETS.map((d) => d.name))('exports %s in NDJSON and CSV with the log’s row count and no personal id', async (name) => {
    const expected = expectedRows()[name];
    const ndjson = await fetchText(`/api/v1/exports/${name}`);
    expect(ndjson.type).toMatch(/application\/x-ndjson/);
    const lines = ndjson.body.split('\n').filter(Boolean);
    expect(lines).toHaveLength(expected);
    const csv = await fetchText(`/api/v1/exports/${name}`, { accept: 'text/csv' });
    expect(csv.type).toMatch(/text\/csv/);
    const records = parse(csv.body, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(expected);
    const dataset = EXPORT_DATASETS.find((d) => d.name === name)!;
    expect(Object.keys(JSON.parse(lines[0] ?? '{}'))).toEqual(lines.length ? dataset.columns : []);
    assertNoPersonalIds(ndjson.body);
    assertNoPersonalIds(csv.body);
  });

  it.each(EXPORT_DATASETS.map((d) => d.name))('exports %s as Parquet with the same rows as NDJSON', async (name) => {
    const ndjson = (await fetchText(`/api/v1/exports/${name}`)).body
      .split('\n')
      .filter(Boolean)
      .map((l) => normalisedTimes(JSON.parse(l)));
    expect(ndjson).toHaveLength(expectedRows()[name]);
    const response = await fetch(`${t.baseUrl}/api/v1/exports/${name}?format=parquet`, { headers: { authorization: `Bearer ${ANALYST}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${name}.parquet"`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const parquet = await readParquet(bytes);
    assertNoPersonalIds(JSON.stringify(parquet.rows));
    expect(parquet.columns).toEqual(EXPORT_DATASETS.find((d) => d.name === name)!.columns);
    expect(parquet.rows).toEqual(ndjson);
    // Accept negotiates it too.
    const accepted = await fetch(`${t.baseUrl}/api/v1/exports/${name}?limit=1`, {
      headers: { authorization: `Bearer ${ANALYST}`, accept: 'application/vnd.apache.parquet' },
    });
    expect((await readParquet(new Uint8Array(await accepted.arrayBuffer()))).rows).toEqual(ndjson.slice(0, 1));
  });

  it('resumes after a cursor and filters by period and department', async () => {
    const all = (await fetchText('/api/v1/exports/events')).body
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const firstPage = (await fetchText('/api/v1/exports/events?limit=7')).body
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(firstPage).toEqual(all.slice(0, 7));
    const rest = (await fetchText(`/api/v1/exports/events?after=${firstPage[6].position}`)).body.split('\n').filter(Boolean);
    expect(rest.map((l) => JSON.parse(l))).toEqual(all.slice(7));

    const disputes = (await fetchText('/api/v1/exports/disputes')).body
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const department = disputes.find((d) => d.department)!.department as string;
    const from = '2026-02-01T00:00:00.000Z';
    const filtered = (await fetchText(`/api/v1/exports/disputes?department=${department}&from=${from}&format=ndjson`)).body
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(filtered).toEqual(disputes.filter((d) => d.department === department && d.filed_at >= from));

    const transitions = (await fetchText('/api/v1/exports/transitions')).body
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const cut = transitions[5];
    const after = (await fetchText(`/api/v1/exports/transitions?after=${encodeURIComponent(cut.transition_id)}`)).body
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(after).toEqual(transitions.slice(6));
  });

  it('refuses agents, unknown datasets and bad filters, naming the field', async () => {
    expect((await t.http.get('/api/v1/exports/disputes', AGENT)).status).toBe(403);
    const unknown = await t.http.get('/api/v1/exports/customers', ANALYST);
    expect(unknown.status).toBe(404);
    const bad = await t.http.get('/api/v1/exports/disputes?from=yesterday', ANALYST);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('from');
    expect((await t.http.get('/api/v1/exports/disputes?format=xlsx', ANALYST)).status).toBe(400);
    const catalog = await t.http.get('/api/v1/exports', ANALYST);
    expect(catalog.body.datasets.map((d: { name: string }) => d.name)).toEqual(EXPORT_DATASETS.map((d) => d.name));
  });

  function assertNoPersonalIds(body: string): void {
    const filed = log.filter((e) => e.type === 'DisputeFiled');
    const ids = new Set(filed.flatMap((e) => [String(e.data.customerId), String(e.data.orderId)]));
    expect(ids.size).toBeGreaterThan(10);
    const leaked = [...ids].filter((id) => body.includes(id));
    expect(leaked).toEqual([]);
  }

  async function fetchText(path: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${t.baseUrl}${path}`, { headers: { authorization: `Bearer ${ANALYST}`, ...headers } });
    expect(response.status).toBe(200);
    return { type: response.headers.get('content-type') ?? '', body: await response.text() };
  }
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
