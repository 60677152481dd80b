import { randomBytes } from 'node:crypto';
import { InMemoryDataKeyStore } from '../../../src/privacy/data-key-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migratePersonalDataKeys, openDataKeyStore, SqlDataKeyStore } from '../../../src/privacy/sql-data-key-store';
import { dataKeyStoreContract } from '../../contract/data-key-store.contract';
import { postgresReadStore, sqliteReadStore } from '../../support/read-stores';

dataKeyStoreContract('in-memory', async () => ({ store: new InMemoryDataKeyStore(randomBytes(32)), cleanup: async () => undefined }));

dataKeyStoreContract('SQLite (a Kysely store)', async () => {
  const t = await sqliteReadStore();
  await migratePersonalDataKeys(t.store.db);
  return { store: new SqlDataKeyStore(t.store.db, randomBytes(32)), cleanup: t.cleanup };
});

dataKeyStoreContract('PostgreSQL (fresh schema)', async () => {
  const t = await postgresReadStore();
  await migratePersonalDataKeys(t.store.db);
  return { store: new SqlDataKeyStore(t.store.db, randomBytes(32)), cleanup: t.cleanup };
});

dataKeyStoreContract('openDataKeyStore: DATA_DIR/data-keys.db beside the embedded log', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-keys-'));
  const opened = await openDataKeyStore({ dataDir, privacyMasterKey: randomBytes(32).toString('base64'), dataKeysDatabaseUrl: null });
  return {
    store: opened.store,
    cleanup: async () => {
      await opened.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describe('openDataKeyStore', () => {
  it('keeps the keys in their own file under DATA_DIR, not in the read store, and they survive a reopen', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-keys-'));
    const config = { dataDir, privacyMasterKey: randomBytes(32).toString('base64'), dataKeysDatabaseUrl: null };
    try {
      const first = await openDataKeyStore(config);
      const key = await first.store.getOrCreate('cus_reopen');
      await first.close();
      const again = await openDataKeyStore(config);
      try {
        expect((await again.store.get([key.kid])).get(key.kid)).toEqual(key.key);
        expect((await again.store.getOrCreate('cus_reopen')).kid).toBe(key.kid);
      } finally {
        await again.close();
      }
      const { readdirSync } = await import('node:fs');
      expect(readdirSync(dataDir)).toContain('data-keys.db');
      expect(readdirSync(dataDir)).not.toContain('read.db');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('openDataKeyStore with another master key', () => {
  it('refuses to open, naming PRIVACY_MASTER_KEY, once keys wrapped by another master key are stored', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-keys-'));
    try {
      const first = await openDataKeyStore({ dataDir, privacyMasterKey: randomBytes(32).toString('base64'), dataKeysDatabaseUrl: null });
      await first.store.getOrCreate('cus_a');
      await first.close();
      await expect(
        openDataKeyStore({ dataDir, privacyMasterKey: randomBytes(32).toString('base64'), dataKeysDatabaseUrl: null }),
      ).rejects.toThrow(/PRIVACY_MASTER_KEY/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('SqlDataKeyStore', () => {
  it('stores keys wrapped by the master key: the table never holds a data key, and another master key cannot open one', async () => {
    const t = await sqliteReadStore();
    try {
      await migratePersonalDataKeys(t.store.db);
      const master = randomBytes(32);
      const key = await new SqlDataKeyStore(t.store.db, master).getOrCreate('cus_x');
      const rows = (await t.store.db
        .selectFrom('personal_data_keys' as never)
        .selectAll()
        .execute()) as Record<string, unknown>[];
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(key.key.toString('base64'));
      expect(JSON.stringify(rows)).not.toContain(key.key.toString('hex'));
      await expect(new SqlDataKeyStore(t.store.db, randomBytes(32)).get([key.kid])).rejects.toThrow(/PRIVACY_MASTER_KEY/);
    } finally {
      await t.cleanup();
    }
  });

  it('commits the new keys of concurrent first writes in groups: every caller gets its own durable key, one subject one key', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-keys-'));
    const privacyMasterKey = randomBytes(32).toString('base64');
    const opened = await openDataKeyStore({ dataDir, privacyMasterKey, dataKeysDatabaseUrl: null });
    try {
      // 400 subjects at once (more than one group of 150), each asked twice in the same tick.
      const refs = Array.from({ length: 400 }, (_, i) => `cus_${i}`);
      const keys = await Promise.all([...refs, ...refs].map((ref) => opened.store.getOrCreate(ref)));
      expect(new Set(keys.map((k) => k.kid)).size).toBe(400);
      for (let i = 0; i < 400; i++) expect(keys[i + 400].kid).toBe(keys[i].kid);
      await opened.close();
      // Written and readable after a reopen: the same keys come back.
      const reopened = await openDataKeyStore({ dataDir, privacyMasterKey, dataKeysDatabaseUrl: null });
      const stored = await reopened.store.get(keys.slice(0, 400).map((k) => k.kid));
      await reopened.close();
      expect(keys.slice(0, 400).every((k) => stored.get(k.kid)?.equals(k.key))).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
