import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { buildProgram } from '../../../src/cli/main';
import { seed } from '../../../src/cli/commands/seed';
import { loadPseudonymKey } from '../../../src/config/pseudonym-key';
import { pseudonymOf } from '../../../src/privacy/pseudonym';
import { startTestApp } from '../../support/test-app';
import { normalisedTimes, readParquet } from '../../support/parquet-read';
import { EXPORT_DATASET_NAMES } from '../../../src/read-models/exports/export-datasets';
import { removeDir } from '../../support/test-app';

/** `export-dataset` (in process): the same rows as the route, into files, pseudonymised with DATA_DIR's key. */
describe('cli export-dataset (issue 17)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-cli-export-'));
  const outDir = mkdtempSync(join(tmpdir(), 'casetrail-cli-export-out-'));

  beforeAll(async () => {
    await seed({ disputes: 20, dataDir, months: 1, concurrency: 4, randomSeed: 5, now: new Date('2026-03-02T04:00:00.000Z') });
    // Let the service start once so the read models have caught up with the seeded log.
    const t = await startTestApp({ dataDir });
    await t.close();
  }, 120_000);
  afterAll(() => {
    removeDir(dataDir);
    removeDir(outDir);
  });

  const run = async (...args: string[]) => {
    await buildProgram().parseAsync(['node', 'casetrail', 'export-dataset', ...args, '--data-dir', dataDir], { from: 'node' });
    const code = process.exitCode;
    process.exitCode = 0;
    return code;
  };

  it('writes NDJSON and CSV files with pseudonyms from the same key as the service', async () => {
    expect(await run('disputes', '--out', join(outDir, 'disputes.ndjson'))).toBe(0);
    expect(await run('disputes', '--format', 'csv', '--out', join(outDir, 'disputes.csv'))).toBe(0);
    const ndjson = readFileSync(join(outDir, 'disputes.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const csv = parse(readFileSync(join(outDir, 'disputes.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(ndjson).toHaveLength(20);
    expect(csv.map((r) => r.dispute_id)).toEqual(ndjson.map((r) => r.dispute_id));
    const key = loadPseudonymKey({ dataDir }).key;
    expect(ndjson.every((r) => /^cus_[a-z2-7]{20}$/.test(r.customer))).toBe(true);
    expect(ndjson.map((r) => r.customer)).toContain(pseudonymOf(key, 'customer', 'cust-00001'));
    expect(readFileSync(join(outDir, 'disputes.ndjson'), 'utf8')).not.toMatch(/cust-\d+|order-\d+/);
  });

  it.each(EXPORT_DATASET_NAMES)('writes %s as a Parquet file holding the NDJSON export’s rows', async (name) => {
    expect(await run(name, '--out', join(outDir, `${name}.ndjson`))).toBe(0);
    expect(await run(name, '--format', 'parquet', '--out', join(outDir, `${name}.parquet`))).toBe(0);
    const ndjson = readFileSync(join(outDir, `${name}.ndjson`), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => normalisedTimes(JSON.parse(l)));
    const parquet = await readParquet(readFileSync(join(outDir, `${name}.parquet`)));
    expect(parquet.rows).toEqual(ndjson);
    // No scheduler tick here: no breaches nor penalties (exports.e2e.spec.ts has them, over HTTP).
    if (!['breaches', 'penalties'].includes(name)) expect(ndjson.length).toBeGreaterThan(0);
  });

  it('filters, limits and refuses unknown datasets with the usage exit code', async () => {
    expect(await run('events', '--limit', '5', '--out', join(outDir, 'events.ndjson'))).toBe(0);
    expect(readFileSync(join(outDir, 'events.ndjson'), 'utf8').trim().split('\n')).toHaveLength(5);
    const write = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      expect(await run('customers')).toBe(2);
    } finally {
      process.stderr.write = write;
    }
  });
});
