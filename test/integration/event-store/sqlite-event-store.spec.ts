import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { NewEvent, StoredEvent, WrongExpectedRevisionError } from '../../../src/shared/event-sourcing/event-store.port';
import { verifyChain } from '../../../src/event-store/domain/hash-chain';
import { openSqliteEventStore, SqliteEventStore } from '../../../src/event-store/sqlite-event-store';
import { eventStoreContract } from '../../contract/event-store.contract';
import { ensureBuilt } from '../../support/child-server';

const tempDir = () => mkdtempSync(join(tmpdir(), 'casetrail-es-'));

eventStoreContract('sqlite (file)', async () => {
  const dir = tempDir();
  const store = openSqliteEventStore(dir, { pollIntervalMs: 50 });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

/*
 * The service commits in a writer thread, which runs compiled code: the same contract against dist/, with the
 * writer thread on (its own connection, the transaction and fsync there, outcomes and errors sent back).
 */
ensureBuilt();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const compiled = require('../../../dist/event-store/sqlite-event-store') as typeof import('../../../src/event-store/sqlite-event-store');
const compiledPort =
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../../dist/shared/event-sourcing/event-store.port') as typeof import('../../../src/shared/event-sourcing/event-store.port');

eventStoreContract(
  'sqlite (file, writer thread)',
  async () => {
    const dir = tempDir();
    const store = compiled.openSqliteEventStore(dir, { pollIntervalMs: 50, writerThread: true });
    expect(store.stats().writerThread).toBe(true);
    return {
      store,
      cleanup: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  { WrongRevision: compiledPort.WrongExpectedRevisionError },
);

describe('SqliteEventStore writer thread (compiled)', () => {
  it('fails the writes while its thread is gone and starts a new one for later writes', async () => {
    const dir = tempDir();
    const store = compiled.openSqliteEventStore(dir, { writerThread: true });
    try {
      await store.append('wt-1', [event({ n: 1 })], 'no_stream');
      const thread = (store as unknown as { writerThread: { worker: { terminate(): Promise<number> }; restarts: number } }).writerThread;
      await thread.worker.terminate();
      await expect(store.append('wt-1', [event({ n: 2 })], 0)).rejects.toThrow(/writer thread exited/);
      await new Promise((resolve) => setTimeout(resolve, 1100)); // restarts are at least a second apart
      await store.append('wt-1', [event({ n: 2 })], 0);
      expect(thread.restarts).toBe(1);
      const stored = await store.readStream('wt-1');
      expect(stored.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
      expect(verifyChain(stored).valid).toBe(true);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

eventStoreContract('sqlite (:memory:)', async () => {
  const store = new SqliteEventStore(':memory:');
  return { store, cleanup: () => store.close() };
});

const event = (data: Record<string, unknown> = {}, eventId?: string): NewEvent => ({
  eventId,
  type: 'thing-happened-v1',
  data,
  metadata: {
    actorId: 'u1',
    actorRoles: ['agent'],
    commandId: randomUUID(),
    correlationId: 'c1',
    causationId: null,
    policyVersion: null,
    schemaVersion: 1,
  },
});

describe('SqliteEventStore', () => {
  let dir: string;
  const opened: SqliteEventStore[] = [];
  const open = (options?: ConstructorParameters<typeof SqliteEventStore>[1]) => {
    const store = openSqliteEventStore(dir, options);
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses WAL, synchronous=FULL by default (NORMAL on request) and a busy timeout', async () => {
    expect(open().pragmas()).toEqual({ journalMode: 'wal', synchronous: 2, busyTimeout: 5000 });
    expect(open({ synchronous: 'NORMAL', busyTimeoutMs: 100 }).pragmas()).toEqual({
      journalMode: 'wal',
      synchronous: 1,
      busyTimeout: 100,
    });
  });

  describe('group commit', () => {
    it('writes many concurrent appends in fewer transactions than appends', async () => {
      const store = open();
      const before = store.stats().transactions;
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => store.append(`s-${i}`, [event({ i })], 'no_stream')));
      const transactions = store.stats().transactions - before;
      expect(transactions).toBeGreaterThanOrEqual(1);
      expect(transactions).toBeLessThan(200);
      expect(new Set(results.map((r) => r.position)).size).toBe(200);
      expect(await store.readAll()).toHaveLength(200);
    });

    it('caps a batch and still writes everything, in order', async () => {
      const store = open();
      const results = await Promise.all(Array.from({ length: 1200 }, (_, i) => store.append(`s-${i % 7}`, [event({ i })], 'any')));
      expect(store.stats().largestBatch).toBeLessThanOrEqual(500);
      expect(store.stats().transactions).toBeGreaterThanOrEqual(3);
      // Enqueue order is commit order.
      expect(results.map((r) => r.position)).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));
      for (let s = 0; s < 7; s++) expect(verifyChain(await store.readStream(`s-${s}`)).valid).toBe(true);
    });

    it('fails one append of a batch without failing its neighbours, and sees earlier appends of the batch', async () => {
      const store = open();
      await store.append('existing', [event()], 'no_stream');
      await store.append('dup', [event({}, 'taken-id')], 'no_stream');
      const before = store.stats().transactions;

      const outcomes = await Promise.allSettled([
        store.append('a', [event({ n: 1 })], 'no_stream'), // ok
        store.append('existing', [event()], 'no_stream'), // wrong revision
        store.append('a', [event({ n: 2 })], 0), // ok: sees the first append of this batch
        store.append('a', [event({ n: 3 })], 0), // wrong revision: the previous one made it 1
        store.append('b', [event(), event({}, 'taken-id')], 'no_stream'), // duplicate eventId: none of it written
        store.append('c', [event()], 'stream_exists'), // wrong revision
        store.append('b', [event()], 'no_stream'), // ok: the failed append to b left no trace
      ]);
      expect(store.stats().transactions - before).toBe(1);
      expect(outcomes.map((o) => o.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'rejected',
        'rejected',
        'rejected',
        'fulfilled',
      ]);
      const reasons = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as unknown) : undefined));
      expect(reasons[1]).toMatchObject({ name: 'WrongExpectedRevisionError', actual: 0 });
      expect(reasons[3]).toMatchObject({ name: 'WrongExpectedRevisionError', actual: 1 });
      expect(reasons[4]).toMatchObject({ code: expect.stringMatching(/^SQLITE_CONSTRAINT/) });
      expect(reasons[5]).toMatchObject({ name: 'WrongExpectedRevisionError', actual: -1 });

      expect((await store.readStream('a')).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
      expect(verifyChain(await store.readStream('a')).valid).toBe(true);
      expect(await store.readStream('b')).toHaveLength(1);
      // Positions stay dense: the rolled-back append consumed none.
      const all = await store.readAll();
      expect(all.map((e) => e.position)).toEqual(all.map((_, i) => i + 1));
    });

    it('rejects every append of a batch whose transaction fails, then recovers', async () => {
      const store = open({ busyTimeoutMs: 20 });
      await store.append('s', [event()], 'no_stream');
      const blocker = new Database(join(dir, 'events.db'));
      blocker.exec('BEGIN IMMEDIATE'); // another process holds the write lock
      try {
        const outcomes = await Promise.allSettled([store.append('s', [event()], 0), store.append('t', [event()], 'any')]);
        for (const outcome of outcomes) {
          expect(outcome.status).toBe('rejected');
          expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_BUSY' });
        }
      } finally {
        blocker.exec('ROLLBACK');
        blocker.close();
      }
      await expect(store.append('s', [event()], 0)).resolves.toMatchObject({ nextExpectedRevision: 1 });
      expect(await store.readStream('t')).toEqual([]);
    });
  });

  it('delivers a backlog larger than one page without waiting for the poll timer', async () => {
    const store = open({ pollIntervalMs: 60_000 });
    await Promise.all(Array.from({ length: 1234 }, (_, i) => store.append(`s-${i % 10}`, [event({ i })], 'any')));
    const got: StoredEvent[] = [];
    const subscription = store.subscribeToAll(0).subscribe((e) => got.push(e));
    try {
      await waitFor(() => got.length === 1234, 2000);
      expect(got.map((e) => e.position)).toEqual(Array.from({ length: 1234 }, (_, i) => i + 1));
    } finally {
      subscription.unsubscribe();
    }
  });

  describe('durability', () => {
    it('keeps events, chain and positions across close and reopen', async () => {
      const first = open();
      await first.append('s', [event({ n: 1 }), event({ n: 2 })], 'no_stream');
      await first.append('t', [event()], 'no_stream');
      const before = await first.readAll();
      await first.close();

      const second = open();
      expect(await second.readAll()).toEqual(before);
      expect(await second.headPosition()).toBe(3);
      expect(verifyChain(await second.readStream('s')).valid).toBe(true);
      await expect(second.append('s', [event()], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      const next = await second.append('s', [event({ n: 3 })], 1);
      expect(next).toMatchObject({ nextExpectedRevision: 2, position: 4 });
      expect(verifyChain(await second.readStream('s')).valid).toBe(true);
    });

    it('writes appends still queued when closed', async () => {
      const store = open();
      const pending = store.append('s', [event()], 'no_stream');
      await store.close();
      await expect(pending).resolves.toMatchObject({ position: 1 });
      await expect(store.append('s', [event()], 0)).rejects.toThrow('closed');
      expect(await open().readStream('s')).toHaveLength(1);
    });
  });

  describe('two instances on one file (two processes)', () => {
    it('checks expected revisions against the database, not a cache', async () => {
      const a = open();
      const b = open();
      await a.append('s', [event()], 'no_stream');
      await expect(b.append('s', [event()], 'no_stream')).rejects.toMatchObject({ actual: 0 });
      await b.append('s', [event()], 0);
      await expect(a.append('s', [event()], 0)).rejects.toMatchObject({ actual: 1 });
      const both = await Promise.allSettled([a.append('s', [event()], 1), b.append('s', [event()], 1)]);
      expect(both.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const stream = await a.readStream('s');
      expect(stream.map((e) => e.revision)).toEqual([0, 1, 2]);
      expect(verifyChain(stream).valid).toBe(true);
    });

    it("lets one instance's subscription see the other's writes, densely and in order", async () => {
      const a = open();
      const b = open({ pollIntervalMs: 20 });
      const got: StoredEvent[] = [];
      const subscription = b.subscribeToAll(0).subscribe((e) => got.push(e));
      try {
        // Only `a` writes: nothing wakes `b` but its polling.
        await Promise.all(Array.from({ length: 20 }, (_, i) => a.append(`a-${i}`, [event()], 'any')));
        await waitFor(() => got.length === 20);
        expect(b.stats().transactions).toBe(0);

        // Both write, interleaved.
        for (let round = 0; round < 5; round++) {
          await Promise.all([
            ...Array.from({ length: 20 }, (_, i) => a.append(`a-${i}`, [event({ round })], 'any')),
            ...Array.from({ length: 5 }, (_, i) => b.append(`b-${i}`, [event({ round })], 'any')),
          ]);
        }
        await waitFor(() => got.length >= 145);
        await new Promise((r) => setTimeout(r, 60)); // a few more polls: nothing repeated
        expect(got.map((e) => e.position)).toEqual(Array.from({ length: 145 }, (_, i) => i + 1));
        expect(got).toEqual(await a.readAll());
      } finally {
        subscription.unsubscribe();
      }
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
