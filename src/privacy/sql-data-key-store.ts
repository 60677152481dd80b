import { Kysely, Migration } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { loadPrivacyMasterKey } from '../config/privacy-master-key';
import { migrateOwnTables } from '../read-side/store/migrations';
import { openPostgresReadStore, openSqliteReadStore } from '../read-side/store/read-store';
import { DataKey, DataKeyStore, newWrappedKey } from './data-key-store';
import { unwrapKey } from './field-cipher';

/** One row a key: `wrapped_key` is null once destroyed (the row stays as the tombstone). Never rebuilt. */
export interface PersonalDataKeyTable {
  kid: string;
  subject_ref: string;
  wrapped_key: string | null;
  created_at: string;
  destroyed_at: string | null;
}

const MIGRATIONS: Record<string, Migration> = {
  '001_personal_data_keys': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('personal_data_keys')
        .ifNotExists()
        .addColumn('kid', 'text', (c) => c.primaryKey())
        .addColumn('subject_ref', 'text', (c) => c.notNull())
        .addColumn('wrapped_key', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('destroyed_at', 'text')
        .execute();
      await db.schema.createIndex('personal_data_keys_subject').ifNotExists().on('personal_data_keys').column('subject_ref').execute();
    },
  },
};

export const migratePersonalDataKeys = (db: Kysely<any>): Promise<void> => migrateOwnTables(db, 'personal_data_keys', MIGRATIONS);

/**
 * The data keys in a SQL database on the write side (see `openDataKeyStore`): a key is written before the first
 * event it seals, and it is never rebuilt, so it lives with the log, not in the read store (which may be down or
 * rebuilt while commands keep working).
 */
export class SqlDataKeyStore implements DataKeyStore {
  private readonly db: Kysely<{ personal_data_keys: PersonalDataKeyTable }>;

  constructor(
    db: Kysely<any>,
    private readonly master: Buffer,
  ) {
    this.db = db;
  }

  /** Keys being looked up or created, by subject: concurrent first writes for one subject share one key. */
  private readonly inFlight = new Map<string, Promise<DataKey>>();
  /** New keys waiting for the next group commit, with their waiters. */
  private queued: { row: PersonalDataKeyTable; done: (error?: unknown) => void }[] = [];

  getOrCreate(ref: string): Promise<DataKey> {
    const known = this.inFlight.get(ref);
    if (known) return known;
    const lookup = this.lookUpOrCreate(ref).finally(() => this.inFlight.delete(ref));
    this.inFlight.set(ref, lookup);
    return lookup;
  }

  private async lookUpOrCreate(ref: string): Promise<DataKey> {
    const live = await this.db
      .selectFrom('personal_data_keys')
      .select(['kid', 'wrapped_key'])
      .where('subject_ref', '=', ref)
      .where('wrapped_key', 'is not', null)
      .orderBy('created_at')
      .orderBy('kid')
      .executeTakeFirst();
    if (live) return { kid: live.kid, key: unwrapKey(this.master, live.kid, ref, live.wrapped_key!) };
    // Two first writes racing for one subject in two processes both insert: two live keys, both destroyed by an erasure.
    const { kid, key, wrapped } = newWrappedKey(this.master, ref);
    await this.commitInGroup({ kid, subject_ref: ref, wrapped_key: wrapped, created_at: new Date().toISOString(), destroyed_at: null });
    return { kid, key };
  }

  /**
   * Fails (naming PRIVACY_MASTER_KEY) when the stored keys were wrapped by another master key: an instance started
   * with the wrong key refuses to start instead of answering 500 on every encrypted event it reads.
   */
  async checkMasterKey(): Promise<void> {
    const sample = await this.db
      .selectFrom('personal_data_keys')
      .select(['kid', 'subject_ref', 'wrapped_key'])
      .where('wrapped_key', 'is not', null)
      .limit(1) // any live key tells; no order, so no scan of a table with a row per customer at every start
      .executeTakeFirst();
    if (sample) unwrapKey(this.master, sample.kid, sample.subject_ref, sample.wrapped_key!);
  }

  /**
   * Group commit (issue 19 item 4): the keys of the filings that arrive together go in one multi-row INSERT, one
   * transaction and one fsync (synchronous=FULL), instead of one each: each fsync blocks the request thread (the
   * driver is synchronous), ≈ 4-9 ms on these machines. A caller still resumes only after its key is durable.
   */
  private commitInGroup(row: PersonalDataKeyTable): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ row, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (this.queued.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    // At most 150 rows (750 bound values: under SQLite's oldest limit of 999); the rest in the next group.
    const batch = this.queued.splice(0, 150);
    if (this.queued.length > 0) setImmediate(() => void this.flush());
    try {
      await this.db
        .insertInto('personal_data_keys')
        .values(batch.map((b) => b.row))
        .execute();
    } catch (error) {
      for (const b of batch) b.done(error);
      return;
    }
    for (const b of batch) b.done();
  }

  async get(kids: readonly string[]): Promise<Map<string, Buffer | null>> {
    const out = new Map<string, Buffer | null>(kids.map((kid) => [kid, null]));
    if (kids.length === 0) return out;
    const rows = await this.db
      .selectFrom('personal_data_keys')
      .select(['kid', 'subject_ref', 'wrapped_key'])
      .where('kid', 'in', [...new Set(kids)])
      .execute();
    for (const row of rows)
      if (row.wrapped_key !== null) out.set(row.kid, unwrapKey(this.master, row.kid, row.subject_ref, row.wrapped_key));
    return out;
  }

  async erased(refs: readonly string[]): Promise<Set<string>> {
    if (refs.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('personal_data_keys')
      .select('subject_ref')
      .where('subject_ref', 'in', [...new Set(refs)])
      .where('destroyed_at', 'is not', null)
      .execute();
    return new Set(rows.map((r) => r.subject_ref));
  }

  async destroy(ref: string, at: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('personal_data_keys')
        .set({ wrapped_key: null, destroyed_at: at })
        .where('subject_ref', '=', ref)
        .where('wrapped_key', 'is not', null)
        .executeTakeFirst();
      await trx
        .insertInto('personal_data_keys')
        .values({ kid: `erased-${randomUUID()}`, subject_ref: ref, wrapped_key: null, created_at: at, destroyed_at: at })
        .execute();
      return Number(result.numUpdatedRows);
    });
  }
}

export interface OpenedDataKeyStore {
  store: SqlDataKeyStore;
  close(): Promise<void>;
}

/**
 * The configured key store, migrated: PostgreSQL when `dataKeysDatabaseUrl` is set (EVENT_STORE=postgres sets it
 * to the log's database), else `DATA_DIR/data-keys.db` beside the embedded log, synchronous like the log (a key
 * lost after its event was acknowledged would make that event unreadable).
 */
export async function openDataKeyStore(
  config: Pick<AppConfig, 'dataDir' | 'privacyMasterKey' | 'dataKeysDatabaseUrl'>,
): Promise<OpenedDataKeyStore> {
  const master = loadPrivacyMasterKey(config);
  const { db } = config.dataKeysDatabaseUrl
    ? openPostgresReadStore(config.dataKeysDatabaseUrl, { max: 4 })
    : openSqliteReadStore(config.dataDir, { file: 'data-keys.db', synchronous: 'FULL' });
  const store = new SqlDataKeyStore(db, master);
  try {
    await migratePersonalDataKeys(db);
    await store.checkMasterKey();
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { store, close: () => db.destroy() };
}
