import { randomBytes } from 'node:crypto';
import { InMemoryDataKeyStore } from '../../../src/privacy/data-key-store';
import { migratePersonalDataKeys, ReadStoreDataKeyStore } from '../../../src/privacy/read-store-data-key-store';
import { dataKeyStoreContract } from '../../contract/data-key-store.contract';
import { postgresReadStore, sqliteReadStore } from '../../support/read-stores';

dataKeyStoreContract('in-memory', async () => ({ store: new InMemoryDataKeyStore(randomBytes(32)), cleanup: async () => undefined }));

dataKeyStoreContract('read store (SQLite)', async () => {
  const t = await sqliteReadStore();
  await migratePersonalDataKeys(t.store.db);
  return { store: new ReadStoreDataKeyStore(t.store.db, randomBytes(32)), cleanup: t.cleanup };
});

dataKeyStoreContract('read store (PostgreSQL, fresh schema)', async () => {
  const t = await postgresReadStore();
  await migratePersonalDataKeys(t.store.db);
  return { store: new ReadStoreDataKeyStore(t.store.db, randomBytes(32)), cleanup: t.cleanup };
});

describe('ReadStoreDataKeyStore', () => {
  it('stores keys wrapped by the master key: the table never holds a data key, and another master key cannot open one', async () => {
    const t = await sqliteReadStore();
    try {
      await migratePersonalDataKeys(t.store.db);
      const master = randomBytes(32);
      const key = await new ReadStoreDataKeyStore(t.store.db, master).getOrCreate('cus_x');
      const rows = (await t.store.db
        .selectFrom('personal_data_keys' as never)
        .selectAll()
        .execute()) as Record<string, unknown>[];
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(key.key.toString('base64'));
      expect(JSON.stringify(rows)).not.toContain(key.key.toString('hex'));
      await expect(new ReadStoreDataKeyStore(t.store.db, randomBytes(32)).get([key.kid])).rejects.toThrow(/PRIVACY_MASTER_KEY/);
    } finally {
      await t.cleanup();
    }
  });
});
