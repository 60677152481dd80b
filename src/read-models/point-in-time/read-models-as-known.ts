import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectionRunner } from '../../read-side/engine/runner';
import { migrateReadStore } from '../../read-side/store/migrations';
import { openSqliteReadStore, ReadStore } from '../../read-side/store/read-store';
import { EventStore } from '../../shared/event-sourcing/event-store.port';
import { SlaPolicyRegistry } from '../../sla/application/sla-policy.registry';
import { Projection } from '../../read-side/engine/projection';
import { PolicySource } from '../disputes/disputes.projection';
import { PROJECTIONS } from '../registry';
import { KnownLog } from './known-log';

/**
 * The registered read models a point-in-time answer does not rebuild, each with why. Every other read model in
 * the registry (`PROJECTIONS`) is replayed, so a new one is included without a change here; leaving one out is
 * a decision written down in this list (test/unit/read-models/point-in-time-replay.spec.ts holds both to it).
 */
export const NOT_REPLAYED_AS_KNOWN: Readonly<Record<string, string>> = {
  audit: 'the audit trail is a time index of the log itself: its queries filter by time, no as-known report reads it',
  'dispute-search': 'the free-text index serves the live dispute list and search only, no as-known report reads it',
};

/** The read models replayed for a point-in-time answer: the registry's, less the deliberate exclusions. */
export const asKnownProjections = (policies: PolicySource): Projection[] =>
  PROJECTIONS(policies).filter((p) => !Object.hasOwn(NOT_REPLAYED_AS_KNOWN, p.name));

/**
 * The report read models (every registered one but `NOT_REPLAYED_AS_KNOWN`) rebuilt from the events recorded by `asKnownAt`, in a scratch SQLite
 * file: the same projections, policies as known then, the same report queries on top. Costs a replay of the log
 * up to that time (about 300,000 events a second scanned); the file is removed by `close`.
 */
export async function readModelsAsKnownAt(log: EventStore, asKnownAt: string): Promise<ReadStore> {
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-as-known-'));
  const store = openSqliteReadStore(dir);
  try {
    const known = new KnownLog(log, asKnownAt);
    const projections = asKnownProjections(new SlaPolicyRegistry(known));
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
