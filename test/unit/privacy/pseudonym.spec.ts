import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pseudonymizer, pseudonymOf } from '../../../src/privacy/pseudonym';
import { loadPseudonymKey, parsePseudonymKey, PSEUDONYM_KEY_FILE } from '../../../src/config/pseudonym-key';
import { pseudonymiseData, REDACTED } from '../../../src/read-models/exports/event-redaction';
import { ConfigError, loadConfig } from '../../../src/config/app-config';
import { removeDir } from '../../support/test-app';

const KEY = Buffer.alloc(32, 1);

describe('pseudonyms', () => {
  it('are stable, prefixed, keyed, and differ by kind and id', () => {
    const a = pseudonymOf(KEY, 'customer', 'cust-1');
    expect(a).toMatch(/^cus_[a-z2-7]{20}$/);
    expect(pseudonymOf(KEY, 'customer', 'cust-1')).toBe(a);
    expect(pseudonymOf(KEY, 'customer', 'cust-2')).not.toBe(a);
    expect(pseudonymOf(KEY, 'order', 'cust-1')).toMatch(/^ord_/);
    expect(pseudonymOf(KEY, 'order', 'cust-1').slice(4)).not.toBe(a.slice(4));
    expect(pseudonymOf(Buffer.alloc(32, 2), 'customer', 'cust-1')).not.toBe(a);
    // A known answer: the format is a contract (exports from different days must join).
    expect(pseudonymOf(KEY, 'customer', 'cust-1')).toBe(new Pseudonymizer(KEY).customer('cust-1'));
  });

  it('refuses short keys', () => {
    expect(() => pseudonymOf(Buffer.alloc(16), 'customer', 'x')).toThrow(/32 bytes/);
    expect(() => parsePseudonymKey('c2hvcnQ=')).toThrow(/PSEUDONYM_KEY/);
    expect(() => loadConfig({ DATA_DIR: '/tmp/x', PSEUDONYM_KEY: 'c2hvcnQ=' })).toThrow(ConfigError);
  });

  it('takes the key from PSEUDONYM_KEY, else generates DATA_DIR/pseudonym-key once (mode 0600)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'casetrail-pseudonym-'));
    try {
      const first = loadPseudonymKey({ dataDir: dir });
      expect(first.source).toBe('generated');
      expect(first.key.length).toBe(32);
      expect(statSync(join(dir, PSEUDONYM_KEY_FILE)).mode & 0o777).toBe(0o600);
      const again = loadPseudonymKey({ dataDir: dir });
      expect(again.source).toBe('file');
      expect(again.key.equals(first.key)).toBe(true);
      const env = loadPseudonymKey({ dataDir: dir, pseudonymKey: Buffer.alloc(32, 9).toString('base64') });
      expect(env).toEqual({ key: Buffer.alloc(32, 9), source: 'env' });
      expect(readFileSync(join(dir, PSEUDONYM_KEY_FILE), 'utf8').trim()).toBe(first.key.toString('base64'));
    } finally {
      removeDir(dir);
    }
  });

  it('replace ids and redact free text anywhere in event data', () => {
    const p = new Pseudonymizer(KEY);
    const data = { disputeId: 'd-1', customerId: 'cust-1', nested: [{ orderId: 'o-1', note: 'call 555' }], description: 'my name is' };
    expect(pseudonymiseData(data, p)).toEqual({
      disputeId: 'd-1',
      customerId: p.customer('cust-1'),
      nested: [{ orderId: p.order('o-1'), note: REDACTED }],
      description: REDACTED,
    });
  });
});
