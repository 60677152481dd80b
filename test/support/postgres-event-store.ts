import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PostgresEventStore, PostgresEventStoreOptions } from '../../src/event-store/postgres-event-store';
import { TEST_DATABASE_URL, withSearchPath } from './read-stores';

/** A fresh schema of the machine's PostgreSQL (other engineers share it), and a URL that selects it. */
export async function freshSchema(prefix = 'es'): Promise<{ schema: string; url: string; drop(): Promise<void> }> {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  return { schema, url: withSearchPath(TEST_DATABASE_URL, schema), drop: () => adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}

/** A PostgreSQL event store in a schema of its own, dropped by `cleanup`. */
export async function postgresEventStore(options: PostgresEventStoreOptions = {}) {
  const { schema, url, drop } = await freshSchema();
  const store = new PostgresEventStore(url, { pollIntervalMs: 50, ...options });
  return {
    store,
    schema,
    url,
    cleanup: async () => {
      await store.close();
      await drop();
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
