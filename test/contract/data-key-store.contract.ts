import { randomUUID } from 'node:crypto';
import { DataKeyStore } from '../../src/privacy/data-key-store';

/** What every DataKeyStore adapter must do (src/privacy/data-key-store.ts). */
export function dataKeyStoreContract(name: string, create: () => Promise<{ store: DataKeyStore; cleanup(): Promise<void> }>): void {
  describe(`DataKeyStore contract: ${name}`, () => {
    let store: DataKeyStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ store, cleanup } = await create());
    });
    afterEach(() => cleanup());

    const ref = () => `cus_${randomUUID().replace(/-/g, '').slice(0, 20)}`;

    it('gives a subject one 32-byte key, the same on every call, found again by id', async () => {
      const subject = ref();
      const first = await store.getOrCreate(subject);
      expect(first.key.length).toBe(32);
      const again = await store.getOrCreate(subject);
      expect(again.kid).toBe(first.kid);
      expect(again.key.equals(first.key)).toBe(true);
      const other = await store.getOrCreate(ref());
      expect(other.kid).not.toBe(first.kid);
      const found = await store.get([first.kid, other.kid, 'no-such-kid']);
      expect(found.get(first.kid)!.equals(first.key)).toBe(true);
      expect(found.get(other.kid)!.equals(other.key)).toBe(true);
      expect(found.get('no-such-kid')).toBeNull();
    });

    it('destroy deletes every key of the subject for good and marks it erased; other subjects keep theirs', async () => {
      const subject = ref();
      const bystander = ref();
      const key = await store.getOrCreate(subject);
      const kept = await store.getOrCreate(bystander);
      expect(await store.erased([subject, bystander])).toEqual(new Set());
      expect(await store.destroy(subject, '2026-11-30T00:00:00.000Z')).toBe(1);
      expect((await store.get([key.kid])).get(key.kid)).toBeNull();
      expect((await store.get([kept.kid])).get(kept.kid)!.equals(kept.key)).toBe(true);
      expect(await store.erased([subject, bystander])).toEqual(new Set([subject]));
      // A later key for the same subject is a new one; the destroyed one never comes back.
      const fresh = await store.getOrCreate(subject);
      expect(fresh.kid).not.toBe(key.kid);
      expect((await store.get([key.kid])).get(key.kid)).toBeNull();
      expect(await store.destroy(subject, '2026-12-01T00:00:00.000Z')).toBe(1);
    });

    it('erasing a subject that never had a key records it as erased (legacy plaintext is then redacted)', async () => {
      const subject = ref();
      expect(await store.destroy(subject, '2026-11-30T00:00:00.000Z')).toBe(0);
      expect(await store.erased([subject])).toEqual(new Set([subject]));
      expect(await store.erased([])).toEqual(new Set());
      expect((await store.get([])).size).toBe(0);
    });
  });
}
