import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, SqliteEventStore } from '../../../src/event-store/sqlite-event-store';
import { PROJECTIONS } from '../../../src/read-models/registry';
import { ProjectionRunner } from '../../../src/read-side/engine/runner';
import { rebuildProjection } from '../../../src/read-side/engine/rebuild';
import { ReadStore } from '../../../src/read-side/store/read-store';
import { writeRandomHistory } from '../../support/random-history';
import { dumpTable, postgresReadStore, sqliteReadStore, TestReadStore } from '../../support/read-stores';
import { removeDir } from '../../support/test-app';

jest.setTimeout(240_000);

const TABLES: Record<string, string[]> = {
  disputes: ['dispute_id'],
  compensations: ['compensation_id'],
  customer_compensations: ['dispute_id', 'compensated_at'],
  audit_events: ['position'],
};

async function dumpAll(store: ReadStore): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [table, key] of Object.entries(TABLES)) out[table] = await dumpTable(store, table, key);
  return out;
}

/** Runs every projection live (small batches, tailing) while `write` appends, until caught up. */
async function projectLive(store: ReadStore, log: SqliteEventStore, write: (notify: () => void) => Promise<unknown>) {
  const runners = PROJECTIONS().map((p) => new ProjectionRunner(store.db, log, p, { batchSize: 97, pollIntervalMs: 20 }));
  runners.forEach((r) => r.start());
  await write(() => runners.forEach((r) => r.notify()));
  const head = await log.headPosition();
  await Promise.all(runners.map((r) => r.waitFor(head, 120_000)));
  await Promise.all(runners.map((r) => r.stop()));
  for (const r of runners) expect(r.error).toBeNull();
}

async function rebuildFromZero(store: ReadStore, log: SqliteEventStore) {
  for (const projection of PROJECTIONS()) {
    const runner = new ProjectionRunner(store.db, log, projection, { batchSize: 1000 });
    await runner.catchUp();
  }
}

describe('read models built live equal those rebuilt from zero', () => {
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-equiv-'));
  let log: SqliteEventStore;
  const stores: TestReadStore[] = [];
  let expected: Record<string, string[]>;

  beforeAll(async () => {
    log = openSqliteEventStore(dir);
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.cleanup()));
    await log.close();
    removeDir(dir);
  });

  it('on SQLite: live while 10,000 random commands are written, then a rebuild from zero, row by row', async () => {
    const live = await sqliteReadStore();
    stores.push(live);
    let appended = 0;
    await projectLive(live.store, log, async (notify) => {
      const result = await writeRandomHistory(log, { commands: 10_000, seed: 7, onAppended: () => ++appended % 50 === 0 && notify() });
      expect(result.applied).toBe(10_000);
      expect(result.disputes).toBeGreaterThan(500);
    });
    const rebuilt = await sqliteReadStore();
    stores.push(rebuilt);
    await rebuildFromZero(rebuilt.store, log);
    expected = await dumpAll(rebuilt.store);
    const actual = await dumpAll(live.store);
    expect(expected.disputes.length).toBeGreaterThan(500);
    expect(expected.compensations.length).toBeGreaterThan(100);
    expect(expected.audit_events.length).toBe(await log.headPosition());
    for (const table of Object.keys(TABLES)) expect({ table, rows: actual[table] }).toEqual({ table, rows: expected[table] });
  });

  it("on PostgreSQL: the same rows live and after a rebuild, identical to SQLite's", async () => {
    const live = await postgresReadStore();
    stores.push(live);
    await projectLive(live.store, log, async () => undefined);
    const actual = await dumpAll(live.store);
    for (const table of Object.keys(TABLES)) expect({ table, rows: actual[table] }).toEqual({ table, rows: expected[table] });

    // The swap path: rebuild beside the live tables, then swap them in.
    for (const projection of PROJECTIONS()) await rebuildProjection(live.store.db, log, projection);
    const swapped = await dumpAll(live.store);
    for (const table of Object.keys(TABLES)) expect({ table, rows: swapped[table] }).toEqual({ table, rows: expected[table] });
  });

  it('on SQLite, the swap path too: a rebuild beside live tables swaps in equal rows and keeps tailing', async () => {
    const live = stores[0].store;
    for (const projection of PROJECTIONS()) {
      const report = await rebuildProjection(live.db, log, projection);
      expect(report.position).toBe(await log.headPosition());
    }
    const swapped = await dumpAll(live);
    for (const table of Object.keys(TABLES)) expect({ table, rows: swapped[table] }).toEqual({ table, rows: expected[table] });
    // Tailing continues from the swapped-in checkpoint: new events land exactly once.
    await projectLive(live, log, () => writeRandomHistory(log, { commands: 300, seed: 8 }));
    const fresh = await sqliteReadStore();
    stores.push(fresh);
    await rebuildFromZero(fresh.store, log);
    expect(await dumpAll(live)).toEqual(await dumpAll(fresh.store));
  });
});
