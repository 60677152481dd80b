import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { analyticsSql } from '../../../src/read-models/analytics-sql/analytics-views';
import { postgresReadStore, TEST_DATABASE_URL, TestReadStore } from '../../support/read-stores';

/** The analyst role sees the views, not the tables; the views carry no customer or order id. */
describe('PostgreSQL analytics role and views (issue 17)', () => {
  let pg: TestReadStore;
  const suffix = randomBytes(4).toString('hex');
  const schema = `analytics_${suffix}`;
  const role = `analyst_${suffix}`;

  beforeAll(async () => {
    pg = await postgresReadStore();
  });
  afterAll(async () => {
    const admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pg.cleanup();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  it('creates idempotent read-only views without personal columns, readable by the role alone', async () => {
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      await client.query(analyticsSql({ schema, role }));
      await client.query(analyticsSql({ schema, role })); // again: idempotent
      await client.query(
        `INSERT INTO disputes (dispute_id, customer_id, order_id, product_sku, channel, category, priority, priority_rank, stage, status,
          filed_at, updated_at, version, checklist, suggested_remedy, state)
         VALUES ('d-1', 'cust-secret', 'order-secret', 'sku', 'web', 'logistics', 'normal', 1, 'filed', 'open',
          '2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', 1, '[]', 're-ship', '{}')`,
      );
      const columns = await client.query(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name`,
        [schema],
      );
      const names = columns.rows.map((r: { column_name: string }) => r.column_name);
      expect(names).toContain('dispute_id');
      expect(names.filter((n: string) => ['customer_id', 'order_id', 'state', 'event'].includes(n))).toEqual([]);

      await client.query(`SET ROLE ${role}`);
      const rows = await client.query(`SELECT * FROM ${schema}.disputes`);
      expect(rows.rows).toHaveLength(1);
      expect(JSON.stringify(rows.rows)).not.toMatch(/secret/);
      await expect(client.query(`SELECT * FROM ${pg.schema}.disputes`)).rejects.toThrow(/permission denied/);
      await expect(client.query(`DELETE FROM ${schema}.disputes`)).rejects.toThrow(/permission denied|read-only/);
      await client.query('RESET ROLE');
    } finally {
      await client.end();
    }
  });

  it('refuses names that are not plain identifiers', () => {
    expect(() => analyticsSql({ schema: 'x; DROP TABLE disputes' })).toThrow(/schema/);
  });
});
