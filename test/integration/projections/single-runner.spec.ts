import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, SqliteEventStore } from '../../../src/event-store/sqlite-event-store';
import { PROJECTIONS } from '../../../src/read-models/registry';
import { ProjectionRunner } from '../../../src/read-side/engine/runner';
import { PostgresAdvisoryLock } from '../../../src/read-side/engine/lock';
import { ensureBuilt } from '../../support/child-server';
import { writeRandomHistory } from '../../support/random-history';
import { dumpTable, postgresReadStore, sqliteReadStore, TestReadStore } from '../../support/read-stores';
import { removeDir } from '../../support/test-app';

jest.setTimeout(120_000);
const ROOT = join(__dirname, '..', '..', '..');

function startFollower(dataDir: string, databaseUrl: string): Promise<{ child: ChildProcess; leading: Promise<void> }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'read-models', 'projector.main.js')], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      READ_STORE: 'postgres',
      DATABASE_URL: databaseUrl,
      PROJECTOR_FOLLOW: '1',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += String(c)));
  const leading = new Promise<void>((resolve, reject) => {
    const seen = new Set<string>();
    child.stdout!.on('data', (chunk) => {
      for (const m of String(chunk).matchAll(/leader (\w+)/g)) seen.add(m[1]);
      if (seen.size === PROJECTIONS().length) resolve();
    });
    child.on('exit', (code) => reject(new Error(`follower exited (${code}): ${stderr}`)));
  });
  return Promise.resolve({ child, leading });
}

async function storedCheckpoints(db: TestReadStore): Promise<number[]> {
  const rows = await db.store.db
    .selectFrom('projection_checkpoints')
    .select(['name', 'position'])
    .where(
      'name',
      'in',
      PROJECTIONS().map((p) => p.name),
    )
    .execute();
  return rows.map((r) => r.position);
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('two engine instances on one PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-leader-'));
  let log: SqliteEventStore;
  let pg: TestReadStore;
  let other: TestReadStore;
  let followerChild: ChildProcess | undefined;
  let runners: ProjectionRunner[] = [];
  afterAll(async () => {
    followerChild?.kill('SIGKILL'); // still alive when an assertion failed before the takeover
    await Promise.all(runners.map((r) => r.stop()));

    await other?.cleanup().catch(() => undefined);
    await pg?.cleanup();
    await log?.close();
    removeDir(dataDir);
  });

  it('processes each projection in one instance only, and the other takes over within seconds when it dies', async () => {
    ensureBuilt();
    log = openSqliteEventStore(dataDir);
    pg = await postgresReadStore();
    const follower = await startFollower(dataDir, pg.url!);
    followerChild = follower.child;
    await follower.leading;

    // Instance B, in this process, with its own pool and locks.
    other = await postgresReadStore({ schema: pg.schema, migrate: false });
    const lock = new PostgresAdvisoryLock(other.store.pool!);
    runners = PROJECTIONS().map((p) => new ProjectionRunner(other.store.db, log, p, { lock, pollIntervalMs: 50, lockRetryMs: 200 }));
    let appliedByB = 0;
    runners.forEach((r) => r.changes$.subscribe(() => appliedByB++));
    runners.forEach((r) => r.start());

    await writeRandomHistory(log, { commands: 400, seed: 21 });
    let head = await log.headPosition();
    await until(async () => (await storedCheckpoints(pg)).every((p) => p === head), 30_000);
    expect(appliedByB).toBe(0);
    expect((await Promise.all(runners.map((r) => r.status()))).every((s) => !s.leader)).toBe(true);
    // Read-your-writes on the instance that does not lead: it follows the leader's stored checkpoint.
    await writeRandomHistory(log, { commands: 20, seed: 23, start: '2026-05-01T01:00:00.000Z' });
    head = await log.headPosition();
    const waitedFrom = Date.now();
    await Promise.all(runners.map((r) => r.waitFor(head, 10_000)));
    expect(Date.now() - waitedFrom).toBeLessThan(5_000);
    expect(await storedCheckpoints(pg)).toEqual(runners.map(() => head));
    expect((await Promise.all(runners.map((r) => r.status()))).map((s) => [s.position, s.lagEvents, s.leader])).toEqual(
      runners.map(() => [head, 0, false]),
    );
    expect(appliedByB).toBe(0);

    const killedAt = Date.now();
    follower.child.kill('SIGKILL');
    await writeRandomHistory(log, { commands: 400, seed: 22, start: '2026-06-01T01:00:00.000Z' });
    head = await log.headPosition();
    await until(async () => (await storedCheckpoints(pg)).every((p) => p === head), 30_000);
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    expect(appliedByB).toBeGreaterThan(0);
    expect((await Promise.all(runners.map((r) => r.status()))).every((s) => s.leader)).toBe(true);
    await Promise.all(runners.map((r) => r.stop()));

    // Exactly once across the takeover: equal to a clean build.
    const clean = await sqliteReadStore();
    for (const projection of PROJECTIONS()) await new ProjectionRunner(clean.store.db, log, projection).catchUp();
    for (const [table, key] of [
      ['disputes', ['dispute_id']],
      ['audit_events', ['position']],
      ['compensations', ['compensation_id']],
    ] as const) {
      expect({ table, rows: await dumpTable(pg.store, table, [...key]) }).toEqual({
        table,
        rows: await dumpTable(clean.store, table, [...key]),
      });
    }
    await clean.cleanup();
  });
});
