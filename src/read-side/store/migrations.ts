import { Kysely, Migration, MigrationProvider, Migrator, sql } from 'kysely';
import { Projection, liveNames } from '../engine/projection';
import { isPostgres } from './read-store';

/**
 * Schema migrations, run at start. Read-model tables belong to their projections (a changed read model is
 * rebuilt from the log); the system tables are versioned here.
 */
function migrations(projections: readonly Projection[]): Record<string, Migration> {
  return {
    '001_system_tables': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('projection_checkpoints')
          .ifNotExists()
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('position', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('idempotency_keys')
          .ifNotExists()
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('fingerprint', 'text', (c) => c.notNull())
          .addColumn('status_code', 'integer', (c) => c.notNull())
          .addColumn('headers', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
          .execute();
      },
    },
    '002_read_models_v1': {
      async up(db: Kysely<any>) {
        for (const projection of projections) await projection.createTables(db, liveNames(projection.tables));
      },
    },
    // The disputes read model gained SLA deadlines, breaches and response times: rebuild it from the log.
    '003_disputes_read_model_v2': { up: (db: Kysely<any>) => rebuildFromLog(db, projections, 'disputes') },
    // The payment ledger shared by every instance (used with READ_STORE=postgres). Not a read model: never dropped.
    '004_payouts': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('payouts')
          .ifNotExists()
          .addColumn('compensation_id', 'text', (c) => c.primaryKey())
          .addColumn('payout_id', 'text', (c) => c.notNull().unique())
          .addColumn('dispute_id', 'text', (c) => c.notNull())
          .addColumn('amount', 'bigint', (c) => c.notNull())
          .addColumn('currency', 'text', (c) => c.notNull())
          .addColumn('payment_reference', 'text')
          .addColumn('paid_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    // Queue due times now come from the same clocks as the breach scheduler (peak windows, reopenings).
    '005_disputes_due_from_sla_clocks': { up: (db: Kysely<any>) => rebuildFromLog(db, projections, 'disputes') },
  };
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

export async function migrateReadStore(db: Kysely<any>, projections: readonly Projection[]): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(projections) };
  // In PostgreSQL, pin the migration tables to the schema in use: Kysely would otherwise find another
  // schema's tables of the same name (several deployments or tests sharing one database) and skip creating ours.
  const schema = await currentSchema(db);
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'read_store_migrations',
    migrationLockTableName: 'read_store_migrations_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`read-store migration ${failed?.migrationName ?? ''} failed: ${(error as Error)?.message ?? 'unknown error'}`);
}

async function currentSchema(db: Kysely<any>): Promise<string | null> {
  if (!isPostgres(db)) return null;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? null;
}
