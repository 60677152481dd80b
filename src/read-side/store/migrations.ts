import { Kysely, Migration, MigrationProvider, Migrator, sql } from 'kysely';
import { createCheckpointTable } from '../engine/checkpoints';
import { Projection, liveNames } from '../engine/projection';
import { isPostgres } from './read-store';

/**
 * Migrations released before their tables moved to their owners; kept as no-ops because Kysely refuses a
 * store whose recorded migrations are missing from the list.
 */
const RETIRED: Record<string, string> = {
  // The payouts ledger: now src/compensation/payouts.migrations.ts (its own migration table).
  '004_payouts': 'payouts',
};

/**
 * The read store's schema migrations, run at start: the engine's checkpoint table, then every projection's
 * tables, then the rebuilds the projections ask for (`rebuildMigrations`). Read-model tables belong to their
 * projections (a changed read model is rebuilt from the log). Other owners of tables in this store
 * (idempotency keys, the payouts ledger) migrate them themselves with `migrateOwnTables`.
 */
function migrations(projections: readonly Projection[]): Record<string, Migration> {
  const all: Record<string, Migration> = {
    // Also created `idempotency_keys` when released: now the idempotency module's (same table, same columns).
    '001_system_tables': { up: (db: Kysely<any>) => createCheckpointTable(db) },
    '002_read_models_v1': {
      async up(db: Kysely<any>) {
        for (const projection of projections) await projection.createTables(db, liveNames(projection.tables));
      },
    },
  };
  for (const name of Object.keys(RETIRED)) all[name] = { up: async () => undefined };
  for (const projection of projections) {
    for (const name of projection.rebuildMigrations ?? []) {
      if (all[name]) throw new Error(`read-store migration ${name} declared twice`);
      all[name] = { up: (db: Kysely<any>) => rebuildFromLog(db, projections, projection.name) };
    }
  }
  return all;
}

/**
 * Drops a projection's tables and checkpoint and recreates them empty (its runner rebuilds it from the log);
 * every other projection's tables are created if missing.
 */
async function rebuildFromLog(db: Kysely<any>, projections: readonly Projection[], name: string): Promise<void> {
  const projection = projections.find((p) => p.name === name);
  if (!projection) throw new Error(`no projection named ${name}`);
  for (const table of projection.tables) await db.schema.dropTable(table).ifExists().execute();
  await db.deleteFrom('projection_checkpoints').where('name', '=', name).execute();
  for (const p of projections) await p.createTables(db, liveNames(p.tables));
}

export function migrateReadStore(db: Kysely<any>, projections: readonly Projection[]): Promise<void> {
  return runMigrations(db, 'read_store', migrations(projections));
}

/**
 * Tables of this store that are not read models (never dropped, never rebuilt), migrated by their owner with
 * a migration table of their own (`<owner>_migrations`): `create table if not exists` first, so a store where
 * the read-store migrations once created them keeps its data.
 */
export function migrateOwnTables(db: Kysely<any>, owner: string, list: Record<string, Migration>): Promise<void> {
  return runMigrations(db, owner, list);
}

async function runMigrations(db: Kysely<any>, prefix: string, list: Record<string, Migration>): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => list };
  // In PostgreSQL, pin the migration tables to the schema in use: Kysely would otherwise find another
  // schema's tables of the same name (several deployments or tests sharing one database) and skip creating ours.
  const schema = await currentSchema(db);
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: `${prefix}_migrations`,
    migrationLockTableName: `${prefix}_migrations_lock`,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed)
    throw new Error(
      `${prefix.replace('_', '-')} migration ${failed?.migrationName ?? ''} failed: ${(error as Error)?.message ?? 'unknown error'}`,
    );
}

async function currentSchema(db: Kysely<any>): Promise<string | null> {
  if (!isPostgres(db)) return null;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? null;
}
