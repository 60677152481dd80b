import { Kysely } from 'kysely';
import { EventStore } from '../event-store/domain/event-store.port';
import { ReadSchema } from '../read-store/read-schema';
import { Projection, TableNames } from './projection';
import { ProjectionRunner } from './projection-engine';
import { PROJECTIONS } from './registry';
import { migrateReadStore } from '../read-store/migrations';
import { openSqliteReadStore } from '../read-store/read-store';
import { SlaPolicyRegistry } from '../sla/application/sla-policy.registry';

export interface RebuildReport {
  projection: string;
  events: number;
  position: number;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * Rebuilds a projection from zero into shadow tables beside the live ones (writes go on), then swaps them
 * in: one transaction drops the live tables, renames the shadow ones and hands their checkpoint to the live
 * runner, whose next batch (re-checking the stored checkpoint) continues from there. Stops at the first event
 * it cannot apply, naming it.
 */
export async function rebuildProjection(
  db: Kysely<ReadSchema>,
  log: EventStore,
  projection: Projection,
  options: { onProgress?: (position: number, head: number) => void; batchSize?: number } = {},
): Promise<RebuildReport> {
  const started = Date.now();
  const suffix = `__rebuild_${started.toString(36)}`;
  const shadow = Object.fromEntries(projection.tables.map((t) => [t, `${t}${suffix}`])) as TableNames;
  const checkpointName = `${projection.name}${suffix}`;
  await projection.createTables(db, shadow);
  const runner = new ProjectionRunner(db, log, projection, { names: shadow, checkpointName, batchSize: options.batchSize ?? 2000 });
  const head = await log.headPosition();
  const progress = setInterval(() => options.onProgress?.(runner.position, head), 250);
  try {
    await runner.catchUp();
  } catch (error) {
    await dropTables(db, Object.values(shadow));
    await db.deleteFrom('projection_checkpoints').where('name', '=', checkpointName).execute();
    throw error;
  } finally {
    clearInterval(progress);
  }
  options.onProgress?.(runner.position, head);
  const position = runner.position;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('projection_checkpoints')
      .values({ name: projection.name, position: 0, updated_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    await trx.updateTable('projection_checkpoints').set({ position, updated_at: new Date().toISOString() }).where('name', '=', projection.name).execute();
    await dropTables(trx, projection.tables);
    for (const table of projection.tables) await trx.schema.alterTable(shadow[table]).renameTo(table).execute();
    await trx.deleteFrom('projection_checkpoints').where('name', '=', checkpointName).execute();
  });
  const seconds = (Date.now() - started) / 1000;
  return { projection: projection.name, events: position, position, seconds, eventsPerSecond: Math.round(position / Math.max(seconds, 0.001)) };
}

async function dropTables(db: Kysely<any>, tables: readonly string[]): Promise<void> {
  for (const table of tables) await db.schema.dropTable(table).ifExists().execute();
}

/**
 * Every projection rebuilt from zero into a fresh embedded read store in `readDataDir` (benchmarks, offline
 * rebuilds): the same engine and swap as the live rebuild, one report per projection.
 */
export async function rebuildProjections(log: EventStore, readDataDir: string, options: { batchSize?: number } = {}): Promise<RebuildReport[]> {
  const readStore = openSqliteReadStore(readDataDir);
  try {
    const projections = PROJECTIONS(new SlaPolicyRegistry(log));
    await migrateReadStore(readStore.db, projections);
    const reports: RebuildReport[] = [];
    for (const projection of projections) reports.push(await rebuildProjection(readStore.db, log, projection, options));
    return reports;
  } finally {
    await readStore.close();
  }
}
