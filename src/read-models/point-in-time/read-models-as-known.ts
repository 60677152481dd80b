import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectionRunner } from '../../read-side/engine/runner';
import { migrateReadStore } from '../../read-side/store/migrations';
import { openSqliteReadStore, ReadStore } from '../../read-side/store/read-store';
import { EventStore } from '../../shared/event-sourcing/event-store.port';
import { SlaPolicyRegistry } from '../../sla/application/sla-policy.registry';
import { DisputesProjection } from '../disputes/disputes.projection';
import { PenaltiesProjection } from '../penalties/penalties.projection';
import { KnownLog } from './known-log';
import { SlaSupervisionProjection } from '../sla-supervision/sla-supervision.projection';

/**
 * The report read models (disputes, penalties) rebuilt from the events recorded by `asKnownAt`, in a scratch SQLite
 * file: the same projections, policies as known then, the same report queries on top. Costs a replay of the log
 * up to that time (about 300,000 events a second scanned); the file is removed by `close`.
 */
export async function readModelsAsKnownAt(log: EventStore, asKnownAt: string): Promise<ReadStore> {
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-as-known-'));
  const store = openSqliteReadStore(dir);
  try {
    const known = new KnownLog(log, asKnownAt);
    const projections = [new DisputesProjection(new SlaPolicyRegistry(known)), new PenaltiesProjection(), new SlaSupervisionProjection()];
    await migrateReadStore(store.db, projections);
    for (const projection of projections) await new ProjectionRunner(store.db, known, projection, { batchSize: 2000 }).catchUp();
  } catch (error) {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...store,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `query` on the read models as known at `asKnownAt`, then drops them. */
export async function queryAsKnownAt<T>(log: EventStore, asKnownAt: string, query: (store: ReadStore) => Promise<T>): Promise<T> {
  const store = await readModelsAsKnownAt(log, asKnownAt);
  try {
    return await query(store);
  } finally {
    await store.close();
  }
}
