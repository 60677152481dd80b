import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/app-config';
import { loadPrivacyMasterKey, parseMasterKey, PRIVACY_MASTER_KEY_FILE } from '../../../src/config/privacy-master-key';

describe('PRIVACY_MASTER_KEY (issue 13 item 5)', () => {
  const base = { AUTH_JWT_SECRET: 'a-secret-of-enough-length' };

  it('accepts 32 bytes as base64 or hex; anything else stops the start naming the variable', () => {
    const key = randomBytes(32);
    expect(parseMasterKey(key.toString('base64')).equals(key)).toBe(true);
    expect(parseMasterKey(key.toString('hex')).equals(key)).toBe(true);
    expect(loadConfig({ ...base, PRIVACY_MASTER_KEY: key.toString('base64') }).privacyMasterKey).toBe(key.toString('base64'));
    expect(() => loadConfig({ ...base, PRIVACY_MASTER_KEY: randomBytes(16).toString('base64') })).toThrow(/PRIVACY_MASTER_KEY.*32 bytes/);
  });

  it('without it, generates DATA_DIR/privacy-master-key once (mode 0600) and reads the same key afterwards', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-mk-'));
    try {
      const first = loadPrivacyMasterKey({ dataDir });
      const file = join(dataDir, PRIVACY_MASTER_KEY_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(loadPrivacyMasterKey({ dataDir }).equals(first)).toBe(true);
      expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64').equals(first)).toBe(true);
      const given = randomBytes(32);
      expect(loadPrivacyMasterKey({ dataDir, privacyMasterKey: given.toString('hex') }).equals(given)).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
