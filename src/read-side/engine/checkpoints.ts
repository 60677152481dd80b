import { Kysely } from 'kysely';
import { isPostgres } from '../store/read-store';

/** The engine's own table: one row per runner (and per rebuild in progress). */
export interface ProjectionCheckpointTable {
  name: string;
  position: number;
  updated_at: string;
}
export interface CheckpointSchema {
  projection_checkpoints: ProjectionCheckpointTable;
}

/** Creates the checkpoint table (idempotent): the engine's part of the read store's migrations. */
export async function createCheckpointTable(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('projection_checkpoints')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

/** A projection's stored checkpoint (0 when it has none yet). */
export async function readCheckpoint(db: Kysely<any>, name: string): Promise<number> {
  const row = await db.selectFrom('projection_checkpoints').select('position').where('name', '=', name).executeTakeFirst();
  return row?.position ?? 0;
}

/** Sets a checkpoint inside the caller's transaction, creating its row when missing. */
export async function storeCheckpoint(trx: Kysely<any>, name: string, position: number): Promise<void> {
  await ensureRow(trx, name);
  await trx
    .updateTable('projection_checkpoints')
    .set({ position, updated_at: new Date().toISOString() })
    .where('name', '=', name)
    .execute();
}

/**
 * Inside a batch's transaction: applies the batch and moves the checkpoint from `from` to `to`, only if the
 * stored checkpoint still stands at `from` (locked on PostgreSQL). Returns `{ moved: stored }` without
 * applying anything when another writer moved it, so every event takes effect exactly once.
 */
export async function applyAtCheckpoint<T>(
  trx: Kysely<any>,
  name: string,
  from: number,
  to: number,
  apply: () => Promise<T>,
): Promise<{ applied: T } | { moved: number }> {
  // Write first, so SQLite takes its write lock at once (no read-then-upgrade "database is locked").
  await ensureRow(trx, name);
  let query = trx.selectFrom('projection_checkpoints').select('position').where('name', '=', name);
  if (isPostgres(trx)) query = query.forUpdate();
  const stored = (await query.executeTakeFirst())?.position ?? 0;
  if (stored !== from) return { moved: stored };
  const applied = await apply();
  await trx
    .updateTable('projection_checkpoints')
    .set({ position: to, updated_at: new Date().toISOString() })
    .where('name', '=', name)
    .execute();
  return { applied };
}

async function ensureRow(trx: Kysely<any>, name: string): Promise<void> {
  await trx
    .insertInto('projection_checkpoints')
    .values({ name, position: 0, updated_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}
