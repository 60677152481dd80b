import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKeyFile } from './pseudonym-key';

export const PRIVACY_MASTER_KEY_FILE = 'privacy-master-key';

/** PRIVACY_MASTER_KEY: exactly 32 bytes (AES-256), as base64 or hex; anything else is a start-up error. */
export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error(`PRIVACY_MASTER_KEY must hold exactly 32 bytes (base64 or hex), got ${key.length}`);
  return key;
}

/**
 * The master key that wraps every customer's data key (issue 13 item 5): PRIVACY_MASTER_KEY, else
 * DATA_DIR/privacy-master-key (base64, generated with mode 0600 on first start). Losing it makes every
 * encrypted personal field unreadable, as if every customer had been erased: back it up apart from DATA_DIR.
 */
export function loadPrivacyMasterKey(options: { privacyMasterKey?: string | null; dataDir: string }): Buffer {
  if (options.privacyMasterKey) return parseMasterKey(options.privacyMasterKey);
  const file = join(options.dataDir, PRIVACY_MASTER_KEY_FILE);
  if (!existsSync(file)) createKeyFile(options.dataDir, file);
  return parseMasterKey(readFileSync(file, 'utf8'));
}
