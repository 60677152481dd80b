import { Kysely, Migration } from 'kysely';
import { migrateOwnTables } from '../read-side/store/migrations';

/** The remembered responses (scope = caller, key = Idempotency-Key): kept in the shared read store, never rebuilt. */
export interface IdempotencyKeyTable {
  scope: string;
  key: string;
  fingerprint: string;
  status_code: number;
  headers: string;
  body: string;
  created_at: string;
}

export interface IdempotencySchema {
  idempotency_keys: IdempotencyKeyTable;
}

/**
 * The idempotency keys' own migrations (table `idempotency_migrations`). The read store's first migration
 * created this very table until it moved here: `if not exists` keeps the keys of those stores.
 */
const MIGRATIONS: Record<string, Migration> = {
  '001_idempotency_keys': {
    async up(db: Kysely<any>) {
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
};

export const migrateIdempotencyKeys = (db: Kysely<any>): Promise<void> => migrateOwnTables(db, 'idempotency', MIGRATIONS);
