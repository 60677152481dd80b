import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '../../../src/event-store/sqlite-event-store';
import { PROJECTIONS } from '../../../src/read-models/registry';
import { ProjectionRunner } from '../../../src/read-side/engine/runner';
import { migrateReadStore } from '../../../src/read-side/store/migrations';
import { openSqliteReadStore } from '../../../src/read-side/store/read-store';
import { ensureBuilt } from '../../support/child-server';
import { writeRandomHistory } from '../../support/random-history';
import { dumpTable, sqliteReadStore } from '../../support/read-stores';
import { removeDir } from '../../support/test-app';

jest.setTimeout(180_000);
const ROOT = join(__dirname, '..', '..', '..');

/** Starts the projector on DATA_DIR and SIGKILLs it once it is past `killAfter` but not done. */
function projectAndKill(dataDir: string, killAfter: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'read-models', 'projector.main.js')], {
      env: { ...process.env, DATA_DIR: dataDir, PROJECTOR_BATCH_SIZE: '50', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = 0;
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += String(c)));
    child.stdout.on('data', (chunk) => {
      for (const line of String(chunk).split('\n')) {
        const m = /^disputes position (\d+)/.exec(line);
        if (m) seen = Math.max(seen, Number(m[1]));
        if (seen >= killAfter && child.exitCode === null) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve(seen) : reject(new Error(`projector ended before the kill (${code}): ${stderr}`)),
    );
  });
}

describe('a projection killed mid-batch', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-projcrash-'));
  afterAll(() => removeDir(dataDir));

  it('resumes after restart and ends equal to an uninterrupted run', async () => {
    ensureBuilt();
    const log = openSqliteEventStore(dataDir);
    await writeRandomHistory(log, { commands: 4000, seed: 11 });
    const head = await log.headPosition();

    const reached = await projectAndKill(dataDir, Math.floor(head / 3));
    expect(reached).toBeGreaterThan(0);
    expect(reached).toBeLessThan(head);

    // Restart: the same read store, from its committed checkpoint.
    const resumed = openSqliteReadStore(dataDir);
    await migrateReadStore(resumed.db, PROJECTIONS());
    for (const projection of PROJECTIONS()) await new ProjectionRunner(resumed.db, log, projection, { batchSize: 50 }).catchUp();

    const clean = await sqliteReadStore();
    for (const projection of PROJECTIONS()) await new ProjectionRunner(clean.store.db, log, projection).catchUp();
    for (const [table, key] of [
      ['disputes', ['dispute_id']],
      ['compensations', ['compensation_id']],
      ['customer_compensations', ['dispute_id', 'compensated_at']],
      ['audit_events', ['position']],
    ] as const) {
      expect({ table, rows: await dumpTable(resumed, table, [...key]) }).toEqual({
        table,
        rows: await dumpTable(clean.store, table, [...key]),
      });
    }
    await resumed.close();
    await clean.cleanup();
    await log.close();
  });
});
