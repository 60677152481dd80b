import { InMemoryEventStore } from '../../../src/event-store/in-memory-event-store';
import { Pseudonymizer } from '../../../src/privacy/pseudonym';
import { ProjectionRunner } from '../../../src/read-side/engine/runner';
import { EXPORT_DATASETS } from '../../../src/read-models/exports/export-datasets';
import { ExportRow } from '../../../src/read-models/exports/export-dataset';
import { PROJECTIONS } from '../../../src/read-models/registry';
import { disputeHistories } from '../../../src/read-models/statistics/dispute-histories';
import { writeRandomHistory } from '../../support/random-history';
import { postgresReadStore, sqliteReadStore, TestReadStore } from '../../support/read-stores';

/** Every dataset gives the same rows from the SQLite and the PostgreSQL read store, paged, filtered and resumed alike. */
describe('exports on both read stores', () => {
  const log = new InMemoryEventStore();
  const stores: Record<string, TestReadStore> = {};
  const pseudonyms = new Pseudonymizer(Buffer.alloc(32, 5));

  beforeAll(async () => {
    await writeRandomHistory(log, { commands: 2500, seed: 17 });
    stores.sqlite = await sqliteReadStore();
    stores.postgres = await postgresReadStore();
    for (const read of Object.values(stores))
      for (const projection of PROJECTIONS()) await new ProjectionRunner(read.store.db, log, projection, { batchSize: 500 }).catchUp();
  }, 120_000);
  afterAll(async () => {
    for (const read of Object.values(stores)) await read.cleanup();
    await log.close();
  });

  const rows = async (store: string, dataset: string, filter = {}) => {
    const out: ExportRow[] = [];
    const d = EXPORT_DATASETS.find((x) => x.name === dataset)!;
    for await (const row of d.rows({ db: stores[store].store.db, log, pseudonyms }, filter)) out.push(row);
    return out;
  };

  it('statistics read every dispute of the period once, in small pages too, on both stores', async () => {
    const scope = { from: '2026-01-01T00:00:00.000Z', to: '2099-01-01T00:00:00.000Z' };
    const disputes = (await rows('sqlite', 'disputes')).map((r) => r.dispute_id).sort();
    for (const store of ['sqlite', 'postgres']) {
      const ids: string[] = [];
      for await (const h of disputeHistories(stores[store].store.db, log, scope, 7)) ids.push(h.state.id);
      expect({ store, ids: ids.sort() }).toEqual({ store, ids: disputes });
    }
  });

  it.each(EXPORT_DATASETS.map((d) => d.name))('%s: the same rows from SQLite and PostgreSQL', async (name) => {
    const sqlite = await rows('sqlite', name);
    expect(await rows('postgres', name)).toEqual(sqlite);
    if (['disputes', 'transitions', 'events', 'compensations'].includes(name)) expect(sqlite.length).toBeGreaterThan(100);
    const dataset = EXPORT_DATASETS.find((d) => d.name === name)!;
    if (sqlite.length > 10) {
      const cursor = String(sqlite[9][dataset.cursorColumn]);
      for (const store of ['sqlite', 'postgres'])
        expect(await rows(store, name, { after: cursor, limit: 5 })).toEqual(sqlite.slice(10, 15));
    }
    const filter = { from: '2026-01-06T00:00:00.000Z', to: '2026-01-20T00:00:00.000Z', department: 'dept-1' };
    expect(await rows('postgres', name, filter)).toEqual(await rows('sqlite', name, filter));
  });
});
