import { InMemoryEventStore } from '../../../src/event-store/in-memory-event-store';
import {
  asKnownProjections,
  NOT_REPLAYED_AS_KNOWN,
  readModelsAsKnownAt,
} from '../../../src/read-models/point-in-time/read-models-as-known';
import { PROJECTIONS } from '../../../src/read-models/registry';

const registered = PROJECTIONS().map((p) => p.name);
const noPolicies = { refresh: async () => undefined, cached: () => undefined };

describe('point-in-time replay: the registry decides which read models are rebuilt', () => {
  it.each(registered)('registered read model %s is replayed as known, or left out with a reason', (name) => {
    const replayed = asKnownProjections(noPolicies).map((p) => p.name);
    const reason = NOT_REPLAYED_AS_KNOWN[name];
    expect(replayed.includes(name) || (typeof reason === 'string' && reason.trim().length > 0)).toBe(true);
    expect(replayed.includes(name) && reason !== undefined).toBe(false);
  });

  it('leaves out only read models that are registered (no stale exclusion)', () => {
    for (const name of Object.keys(NOT_REPLAYED_AS_KNOWN)) expect(registered).toContain(name);
  });

  it('builds, in the scratch store, the tables of every registered read model not left out, and only those', async () => {
    const log = new InMemoryEventStore();
    const store = await readModelsAsKnownAt(log, '2026-03-01T00:00:00.000Z');
    try {
      const rows = await store.db
        .selectFrom('sqlite_master' as never)
        .select('name' as never)
        .where('type' as never, '=', 'table' as never)
        .execute();
      const tables = new Set(rows.map((r) => (r as { name: string }).name));
      for (const projection of PROJECTIONS()) {
        const left = Object.hasOwn(NOT_REPLAYED_AS_KNOWN, projection.name);
        for (const table of projection.tables)
          expect({ projection: projection.name, table, built: tables.has(table) }).toEqual({
            projection: projection.name,
            table,
            built: !left,
          });
      }
    } finally {
      await store.close();
    }
  });
});
