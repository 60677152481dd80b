import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrateReadStore } from '../../src/read-side/store/migrations';
import { openPostgresReadStore, openSqliteReadStore, ReadStore } from '../../src/read-side/store/read-store';
import { PROJECTIONS } from '../../src/read-models/registry';
import { migrateIdempotencyKeys } from '../../src/idempotency/idempotency.migrations';
import { migratePayouts } from '../../src/compensation/payouts.migrations';
import { Kysely } from 'kysely';

/** Every table the service migrates at start: the read models', then the idempotency keys' and the payouts ledger's. */
async function migrateAsTheServiceDoes(db: Kysely<any>): Promise<void> {
  await migrateReadStore(db, PROJECTIONS());
  await migrateIdempotencyKeys(db);
  await migratePayouts(db);
}

/** The machine's PostgreSQL (trust auth, database `test`); CI starts it. Never skipped when absent: it fails. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

export interface TestReadStore {
  store: ReadStore;
  /** For PostgreSQL: the schema this test owns; a connection string that selects it. */
  schema?: string;
  url?: string;
  cleanup(): Promise<void>;
}

export async function sqliteReadStore(dir = mkdtempSync(join(tmpdir(), 'casetrail-read-'))): Promise<TestReadStore> {
  const store = openSqliteReadStore(dir);
  await migrateAsTheServiceDoes(store.db);
  return { store, cleanup: () => store.close() };
}

/** A PostgreSQL read store in a fresh schema, dropped afterwards, so tests never share tables. */
export async function postgresReadStore(options: { migrate?: boolean; schema?: string } = {}): Promise<TestReadStore> {
  const schema = options.schema ?? `t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await admin.end();
  const url = withSearchPath(TEST_DATABASE_URL, schema);
  const store = openPostgresReadStore(url);
  if (options.migrate !== false) await migrateAsTheServiceDoes(store.db);
  return {
    store,
    schema,
    url,
    cleanup: async () => {
      await store.close();
      const c = new Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** Every row of a table in primary-key order, with keys sorted, for row-by-row comparison across stores. */
export async function dumpTable(store: ReadStore, table: string, orderBy: string[]): Promise<string[]> {
  let query = store.db.selectFrom(table as never).selectAll();
  for (const column of orderBy) query = query.orderBy(column as never);
  const rows = (await query.execute()) as Record<string, unknown>[];
  return rows.map((row) =>
    JSON.stringify(
      Object.fromEntries(
        Object.keys(row)
          .sort()
          .map((k) => [k, row[k]]),
      ),
    ),
  );
}
