import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The shortest pseudonym key accepted (HMAC-SHA-256 keys shorter than the hash weaken it). */
export const MIN_PSEUDONYM_KEY_BYTES = 32;

export const PSEUDONYM_KEY_FILE = 'pseudonym-key';

export interface PseudonymKey {
  key: Buffer;
  /** PSEUDONYM_KEY, an existing key file, or a file generated now. */
  source: 'env' | 'file' | 'generated';
}

/** PSEUDONYM_KEY: at least 32 bytes, as base64 (or hex); a short or malformed key is a start-up error. */
export function parsePseudonymKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]+$/i.test(trimmed) && trimmed.length % 2 === 0 ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length < MIN_PSEUDONYM_KEY_BYTES) {
    throw new Error(`PSEUDONYM_KEY must hold at least ${MIN_PSEUDONYM_KEY_BYTES} bytes (base64 or hex), got ${key.length}`);
  }
  return key;
}

/**
 * The key from PSEUDONYM_KEY, else DATA_DIR/pseudonym-key (base64, generated with mode 0600 on first start, like
 * the audit signing key). Every instance over one DATA_DIR, and the CLI, use the same key: pseudonyms stay stable.
 * Losing the file changes every pseudonym (old exports no longer join with new ones); back it up with DATA_DIR.
 */
export function loadPseudonymKey(options: { pseudonymKey?: string | null; dataDir: string }): PseudonymKey {
  if (options.pseudonymKey) return { key: parsePseudonymKey(options.pseudonymKey), source: 'env' };
  const file = join(options.dataDir, PSEUDONYM_KEY_FILE);
  const generated = !existsSync(file) && createKeyFile(options.dataDir, file);
  return { key: parsePseudonymKey(readFileSync(file, 'utf8')), source: generated ? 'generated' : 'file' };
}

/** Temporary file linked into place: instances starting together end up with one complete key. False when one was there. */
export function createKeyFile(dataDir: string, file: string): boolean {
  mkdirSync(dataDir, { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}
