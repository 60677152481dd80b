import { Kysely, sql } from 'kysely';
import { EventStore, StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { openSqliteReadStore } from '../store/read-store';
import { migrateReadStore } from '../store/migrations';
import { Projection, TableNames } from './projection';
import { applyAtCheckpoint, storeCheckpoint } from './checkpoints';
import { yieldToEventLoop } from './runner';

export interface RebuildReport {
  projection: string;
  events: number;
  position: number;
  seconds: number;
  eventsPerSecond: number;
}

export interface RebuildOptions {
  onProgress?: (position: number, head: number) => void;
  /** Events per page of the log, and per transaction. */
  batchSize?: number;
}

/** Pages of this size keep a transaction (which a live service's SQLite connection waits for) short. */
const LIVE_BATCH = 2000;
/** An offline rebuild into its own store holds no one up: bigger pages, fewer commits. */
const OFFLINE_BATCH = 5000;

/**
 * Rebuilds a projection from zero into shadow tables beside the live ones (writes go on), then swaps them
 * in: one transaction drops the live tables, renames the shadow ones and hands their checkpoint to the live
 * runner, whose next batch (re-checking the stored checkpoint) continues from there. Stops at the first event
 * it cannot apply, naming it.
 */
export async function rebuildProjection(
  db: Kysely<any>,
  log: EventStore,
  projection: Projection,
  options: RebuildOptions = {},
): Promise<RebuildReport> {
  const [report] = await rebuildProjectionsTogether(db, log, [projection], options);
  return report;
}

/**
 * Rebuilds several projections in one pass over the log: each page is read once and fed to every projection,
 * in one transaction per page that also advances every projection's own shadow checkpoint (each checked
 * first: the rebuild is their only writer, so a checkpoint that moved stops it). Secondary indexes of the
 * shadow tables are built once, after the bulk load and before the swap; a projection may keep what it wrote
 * in a scratch map for the run (the disputes projection keeps folded states instead of reading its rows back).
 * Then all are swapped in together, as `rebuildProjection` swaps one. On any failure the shadow tables are
 * dropped and nothing is swapped.
 */
export async function rebuildProjectionsTogether(
  db: Kysely<any>,
  log: EventStore,
  projections: readonly Projection[],
  options: RebuildOptions = {},
): Promise<RebuildReport[]> {
  const started = Date.now();
  const suffix = `__rebuild_${started.toString(36)}`;
  const batchSize = options.batchSize ?? LIVE_BATCH;
  const jobs = projections.map((projection) => ({
    projection,
    shadow: Object.fromEntries(projection.tables.map((t) => [t, `${t}${suffix}`])) as TableNames,
    checkpointName: `${projection.name}${suffix}`,
    deferIndexes: typeof projection.createIndexes === 'function',
    scratch: new Map<string, unknown>(),
  }));
  let position = 0;
  const head = await log.headPosition();
  const progress = setInterval(() => options.onProgress?.(position, head), 250);
  try {
    for (const job of jobs) await job.projection.createTables(db, job.shadow, { indexes: !job.deferIndexes });
    let page = log.readAll({ after: 0, maxCount: batchSize });
    for (;;) {
      const events: StoredEvent[] = await page;
      if (events.length === 0) break;
      const last = events[events.length - 1].position;
      // The next page is asked for now, so that a log and a read store that do I/O work at the same time
      // (with a synchronous store this simply reads it before this page is written).
      page = log.readAll({ after: last, maxCount: batchSize });
      page.catch(() => undefined); // awaited (and thrown) on the next turn, unless this page fails first
      const from = position;
      await db.transaction().execute(async (trx) => {
        for (const job of jobs) {
          const outcome = await applyAtCheckpoint(trx, job.checkpointName, from, last, () =>
            job.projection.applyBatch(trx, events, job.shadow, { scratch: job.scratch }),
          );
          if ('moved' in outcome)
            throw new Error(`rebuild checkpoint ${job.checkpointName} moved to ${outcome.moved} (expected ${from}): another writer`);
        }
      });
      position = last;
      await yieldToEventLoop(); // a rebuild beside the live service must not starve its requests
    }
    for (const job of jobs) {
      job.scratch.clear();
      if (job.deferIndexes) await job.projection.createIndexes!(db, job.shadow);
    }
  } catch (error) {
    for (const job of jobs) {
      await dropTables(db, Object.values(job.shadow));
      await db.deleteFrom('projection_checkpoints').where('name', '=', job.checkpointName).execute();
    }
    throw error;
  } finally {
    clearInterval(progress);
  }
  options.onProgress?.(position, head);
  await db.transaction().execute(async (trx) => {
    for (const { projection, shadow, checkpointName } of jobs) {
      await storeCheckpoint(trx, projection.name, position);
      await dropTables(trx, projection.tables);
      for (const table of projection.tables) await trx.schema.alterTable(shadow[table]).renameTo(table).execute();
      await trx.deleteFrom('projection_checkpoints').where('name', '=', checkpointName).execute();
    }
  });
  const seconds = (Date.now() - started) / 1000;
  return jobs.map(({ projection }) => ({
    projection: projection.name,
    events: position,
    position,
    seconds,
    eventsPerSecond: Math.round(position / Math.max(seconds, 0.001)),
  }));
}

async function dropTables(db: Kysely<any>, tables: readonly string[]): Promise<void> {
  for (const table of tables) await db.schema.dropTable(table).ifExists().execute();
}

/**
 * The given projections rebuilt from zero into a fresh embedded read store in `readDataDir` (benchmarks, offline
 * rebuilds): the same engine and swap as the live rebuild, in one pass over the log with bigger pages (no
 * service waits on this store); one report per projection, each with the pass's events and time.
 *
 * The store is new and only this function uses it, so while it is built SQLite does not fsync at WAL
 * checkpoints (`synchronous = OFF`, measured ≈ 10% of the rebuild): a process crash loses nothing committed
 * (as with NORMAL); an OS crash or power cut in the middle may leave the file unusable, which an interrupted
 * rebuild leaves anyway (nothing was swapped in yet: start again in an empty directory). Before returning,
 * the WAL is checkpointed with `synchronous = NORMAL` (the read store's own setting), which syncs it all.
 * A rebuild inside a live store (`rebuildProjection`, the CLI, the admin route) never changes these settings.
 */
export async function rebuildIntoFreshStore(
  log: EventStore,
  readDataDir: string,
  projections: readonly Projection[],
  options: RebuildOptions = {},
): Promise<RebuildReport[]> {
  const readStore = openSqliteReadStore(readDataDir);
  try {
    await migrateReadStore(readStore.db, projections);
    await sql`PRAGMA synchronous = OFF`.execute(readStore.db);
    const reports = await rebuildProjectionsTogether(readStore.db, log, projections, { batchSize: OFFLINE_BATCH, ...options });
    await sql`PRAGMA synchronous = NORMAL`.execute(readStore.db);
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(readStore.db);
    return reports;
  } finally {
    await readStore.close();
  }
}
