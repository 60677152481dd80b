import { Kysely, Migration } from 'kysely';
import { migrateOwnTables } from '../read-side/store/migrations';

/**
 * The payment ledger shared by every instance (used with READ_STORE=postgres), in the read store but not a
 * read model: never dropped, never rebuilt. Its own migrations (table `payouts_migrations`); the read store's
 * `004_payouts` created the same table until it moved here, so `if not exists` keeps those ledgers.
 */
const MIGRATIONS: Record<string, Migration> = {
  '001_payouts': {
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
};

export const migratePayouts = (db: Kysely<any>): Promise<void> => migrateOwnTables(db, 'payouts', MIGRATIONS);
