import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { BlobIntegrityError, BlobStore, isSha256, sha256Of } from './blob-store.port';

/**
 * The embedded blob store: one file per content under `<root>/<aa>/<bb>/<sha256>`, written to a temporary
 * name, synced and renamed into place (a crash leaves no half-written blob under a real address). Reads check
 * the hash again.
 */
export class FsBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathOf(sha256: string): string {
    if (!isSha256(sha256)) throw new Error(`not a SHA-256 address: ${sha256.slice(0, 80)}`);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(content: Buffer): Promise<{ sha256: string; size: number }> {
    const sha256 = sha256Of(content);
    const path = this.pathOf(sha256);
    if (!(await this.has(sha256))) {
      const dir = join(this.root, sha256.slice(0, 2), sha256.slice(2, 4));
      await mkdir(dir, { recursive: true });
      const temporary = join(dir, `.${sha256}.${randomUUID()}.tmp`);
      await writeFile(temporary, content, { flush: true });
      await rename(temporary, path);
    }
    return { sha256, size: content.length };
  }

  async get(sha256: string): Promise<Buffer | null> {
    let content: Buffer;
    try {
      content = await readFile(this.pathOf(sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    if (sha256Of(content) !== sha256) throw new BlobIntegrityError(sha256);
    return content;
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await stat(this.pathOf(sha256));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }
}
