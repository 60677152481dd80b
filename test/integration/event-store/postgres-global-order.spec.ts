import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Client } from 'pg';
import { StoredEvent } from '../../../src/shared/event-sourcing/event-store.port';
import { verifyChain } from '../../../src/event-store/domain/hash-chain';
import { PostgresEventStore } from '../../../src/event-store/postgres-event-store';
import { freshSchema } from '../../support/postgres-event-store';

/**
 * The gap-free proof: WRITERS processes append concurrently to one PostgreSQL log while a subscription
 * started before them (and a reader paging with readAll) tail it. Every acknowledged event must reach
 * both exactly once, in one order, and that order must be the one a full scan shows at the end: positions
 * 1..N without a hole. A store numbering events with a sequence fails this (a later number commits first,
 * the tailer moves past the earlier one and never sees it).
 */
const WRITERS = 8;
const APPENDS = 400; // per writer; 1 in 7 appends carries 3 events
const CONCURRENCY = 16; // appends in flight per writer
const ROOT = join(__dirname, '../../..');
const WRITER_SCRIPT = join(ROOT, 'test/support/pg-log-writer.js');

interface Acknowledged {
  eventId: string;
  position: number;
}
interface WriterReport {
  kind: 'done';
  acknowledged: Acknowledged[];
  counts: { wrongRevision: number; duplicate: number; other: number };
  elapsedMs: number;
  stats: { transactions: number; appends: number; events: number; largestBatch: number; lockedRetries: number };
}

jest.setTimeout(90_000);

beforeAll(() => {
  // The writers run the compiled store: build when dist/ is missing it or older than the source.
  if (!existsSync(join(ROOT, 'dist/event-store/postgres-event-store.js')) || process.env.CI_REBUILD === '1') {
    const result = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) throw new Error('build failed');
  }
});

it(`${WRITERS} writer processes, a tailing subscription and a paging reader agree on one gap-free order`, async () => {
  const { url, drop } = await freshSchema('gap');
  const store = new PostgresEventStore(url, { pollIntervalMs: 200 });
  try {
    await store.headPosition(); // creates the tables before the writers race to
    const tailed: StoredEvent[] = [];
    const subscription = store.subscribeToAll(0).subscribe({ next: (e) => tailed.push(e) });
    const paged: StoredEvent[] = [];
    let paging = true;
    const pager = (async () => {
      while (paging || paged.length < tailed.length) {
        const page = await store.readAll({ after: paged[paged.length - 1]?.position ?? 0, maxCount: 37 });
        paged.push(...page);
        if (page.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();

    const children = Array.from({ length: WRITERS }, (_, w) =>
      fork(WRITER_SCRIPT, [url, String(w), String(APPENDS), String(CONCURRENCY)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    );
    const ready = children.map((child) => new Promise<void>((resolve) => child.once('message', () => resolve())));
    const reports = children.map(
      (child, w) =>
        new Promise<WriterReport>((resolve, reject) => {
          child.on('message', (message: { kind: string }) => message.kind === 'done' && resolve(message as WriterReport));
          child.once('exit', (code) => code !== 0 && reject(new Error(`writer ${w} exited with ${code}`)));
        }),
    );
    await Promise.all(ready);
    const started = Date.now();
    for (const child of children) child.send('go');
    const done = await Promise.all(reports);
    const elapsedMs = Date.now() - started;

    const acknowledged = done.flatMap((report) => report.acknowledged);
    const total = acknowledged.length;
    const deadline = Date.now() + 20_000;
    while (tailed.length < total && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    paging = false;
    await pager;
    subscription.unsubscribe();

    const final = await store.readAll();
    const ids = (events: StoredEvent[]) => events.map((e) => `${e.position}:${e.eventId}`);
    // Every acknowledged event once, at the position it was acknowledged with; nothing else in the log.
    expect(final).toHaveLength(total);
    expect(final.map((e) => e.position)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(new Set(ids(final))).toEqual(new Set(acknowledged.map((a) => `${a.position}:${a.eventId}`)));
    // The tailer and the pager saw exactly that order, each event once.
    expect(ids(tailed)).toEqual(ids(final));
    expect(ids(paged)).toEqual(ids(final));
    // Chains hold on streams every writer raced on.
    const streams = [...new Set(final.map((e) => e.streamId))];
    for (const streamId of streams) expect(verifyChain(await store.readStream(streamId))).toMatchObject({ valid: true });
    // The test exercised what it claims: failed revisions, rolled-back batches (duplicate ids), no other error.
    const counts = done.reduce(
      (sum, r) => ({ wrong: sum.wrong + r.counts.wrongRevision, dup: sum.dup + r.counts.duplicate, other: sum.other + r.counts.other }),
      {
        wrong: 0,
        dup: 0,
        other: 0,
      },
    );
    expect(counts.other).toBe(0);
    expect(counts.wrong).toBeGreaterThan(0);
    expect(counts.dup).toBeGreaterThan(0);
    const transactions = done.reduce((sum, r) => sum + r.stats.transactions, 0);
    // Writers raced on the shared streams: some batches met a stream moved since its head was read, and were redone under the lock.
    const lockedRetries = done.reduce((sum, r) => sum + r.stats.lockedRetries, 0);
    expect(lockedRetries).toBeGreaterThan(0);
    process.stdout.write(
      `gap-free test: ${WRITERS} writer processes, ${total} events in ${done.reduce((s, r) => s + r.stats.appends, 0)} appends, ` +
        `${transactions} transactions, ${Math.round(total / (elapsedMs / 1000))} events/s over ${elapsedMs} ms; ` +
        `${counts.wrong} wrong-revision and ${counts.dup} duplicate-id rejections, ${lockedRetries} batches redone under the lock\n`,
    );
  } finally {
    await store.close();
    await drop();
  }
});

/**
 * What the checks above would catch: a log numbered by a sequence, read the same way (`position > cursor`).
 * A transaction that drew 1 and commits after another drew 2 and committed is skipped by the tailer forever.
 */
it('the same reading skips an event forever on a sequence-numbered log (the trap this store avoids)', async () => {
  const { url, drop } = await freshSchema('trap');
  const [slow, fast, reader] = [
    new Client({ connectionString: url }),
    new Client({ connectionString: url }),
    new Client({ connectionString: url }),
  ];
  await Promise.all([slow.connect(), fast.connect(), reader.connect()]);
  try {
    await reader.query('CREATE TABLE naive_events (position bigserial PRIMARY KEY, label text NOT NULL)');
    const tail = async (cursor: number) =>
      (
        await reader.query<{ position: string; label: string }>('SELECT * FROM naive_events WHERE position > $1 ORDER BY position', [
          cursor,
        ])
      ).rows;
    await slow.query('BEGIN');
    await slow.query(`INSERT INTO naive_events (label) VALUES ('drew 1, commits last')`);
    await fast.query(`INSERT INTO naive_events (label) VALUES ('drew 2, commits first')`);
    const seen = await tail(0);
    await slow.query('COMMIT');
    const after = await tail(Number(seen[seen.length - 1].position));
    const final = await tail(0);
    expect(seen.map((r) => r.label)).toEqual(['drew 2, commits first']);
    expect(after).toEqual([]); // position 1 is behind the cursor: never delivered
    expect(final.map((r) => Number(r.position))).toEqual([1, 2]);
  } finally {
    await Promise.all([slow.end(), fast.end(), reader.end()]);
    await drop();
  }
});
