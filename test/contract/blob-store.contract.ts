import { createHash, randomBytes } from 'node:crypto';
import { BlobIntegrityError, BlobStore } from '../../src/blob-store/blob-store.port';

/**
 * The blob-store port's contract (issue 15): every adapter passes it. `tamper` replaces the stored bytes of an
 * address behind the adapter's back, to prove reads check the hash.
 */
export function blobStoreContract(
  name: string,
  setup: () => { store: () => BlobStore; tamper: (sha256: string, bytes: Buffer) => Promise<void> },
) {
  describe(`blob store contract: ${name}`, () => {
    const t = setup();
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

    it('stores content under its SHA-256 and gives back the same bytes', async () => {
      const content = randomBytes(200_000);
      const put = await t.store().put(content);
      expect(put).toEqual({ sha256: sha(content), size: content.length });
      const back = await t.store().get(put.sha256);
      expect(back).not.toBeNull();
      expect(Buffer.compare(back!, content)).toBe(0);
      expect(await t.store().has(put.sha256)).toBe(true);
    });

    it('stores the same content once, at the same address', async () => {
      const content = Buffer.from(`receipt ${Math.random()}`);
      const a = await t.store().put(content);
      const b = await t.store().put(Buffer.from(content));
      expect(a).toEqual(b);
    });

    it('answers null and false for an address never stored', async () => {
      const missing = sha(randomBytes(16));
      expect(await t.store().get(missing)).toBeNull();
      expect(await t.store().has(missing)).toBe(false);
    });

    it('keeps empty and binary content exactly', async () => {
      const bytes = Buffer.from([0, 255, 1, 254, 0, 0, 10, 13]);
      const put = await t.store().put(bytes);
      expect(Buffer.compare((await t.store().get(put.sha256))!, bytes)).toBe(0);
    });

    it('refuses an address that is not a SHA-256 (no path or key injection)', async () => {
      await expect(t.store().get('../../etc/passwd')).rejects.toThrow(/SHA-256/);
      await expect(t.store().has('A'.repeat(64))).rejects.toThrow(/SHA-256/);
    });

    it('detects stored bytes that no longer match their address', async () => {
      const content = Buffer.from(`arbitration agreement ${Math.random()}`);
      const { sha256 } = await t.store().put(content);
      await t.tamper(sha256, Buffer.from('forged'));
      await expect(t.store().get(sha256)).rejects.toBeInstanceOf(BlobIntegrityError);
    });
  });
}
