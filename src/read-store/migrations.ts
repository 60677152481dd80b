import { Kysely, Migration, MigrationProvider, Migrator } from 'kysely';
import { Projection, liveNames } from '../projections/projection';

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
  };
}

export async function migrateReadStore(db: Kysely<any>, projections: readonly Projection[]): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(projections) };
  const migrator = new Migrator({ db, provider, migrationTableName: 'read_store_migrations', migrationLockTableName: 'read_store_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`read-store migration ${failed?.migrationName ?? ''} failed: ${(error as Error)?.message ?? 'unknown error'}`);
}
