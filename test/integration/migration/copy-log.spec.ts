import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreDBClient } from '@eventstore/db-client';
import Database from 'better-sqlite3';
import { EventStore, StoredEvent } from '../../../src/shared/event-sourcing/event-store.port';
import { verifyChain } from '../../../src/event-store/domain/hash-chain';
import { EventStoreDbEventStore } from '../../../src/event-store/eventstoredb-event-store';
import {
  copyLog,
  CopyInterruptedError,
  CopyProgress,
  UncopyableSourceError,
  verifyCopy,
} from '../../../src/event-store/migration/copy-log';
import { SqliteEventStore } from '../../../src/event-store/sqlite-event-store';
import { EsdbTestDouble, startEsdbTestDouble } from '../../support/esdb-test-double/start-esdb-test-double';
import { buildLog, readEverything, withoutPosition, writeRaw } from './embedded-log-fixture';

/**
 * The embedded → EventStoreDB copy over real gRPC against the EventStoreDB TEST DOUBLE
 * (test/support/esdb-test-double), not a real EventStoreDB. Each test gets its own double: verifyCopy
 * reads the whole target $all, so the target must hold nothing else.
 */
const LOG_EVENTS = 10_000;
const LOG_STREAMS = 600;
const BIG = 120_000; // per-test timeout for the 10k-event tests; the measured times are logged

const log = (message: string) => process.stdout.write(`[copy-log.spec] ${message}\n`);

describe('copyLog and verifyCopy: embedded log → EventStoreDB (gRPC test double)', () => {
  const dirs: string[] = [];
  const closables: Array<{ close(): Promise<void> }> = [];
  let double: EsdbTestDouble;
  let bigSource: SqliteEventStore;

  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'casetrail-migrate-'));
    dirs.push(dir);
    return dir;
  };
  const openTarget = () => {
    const target = EventStoreDbEventStore.fromConnectionString(double.connectionString);
    closables.push(target);
    return target;
  };
  const rawClient = () => {
    const client = EventStoreDBClient.connectionString(double.connectionString);
    closables.push({ close: () => client.dispose() });
    return client;
  };
  async function smallSource(events = 300, streams = 20): Promise<{ store: SqliteEventStore; file: string }> {
    const file = join(tempDir(), 'events.db');
    const store = new SqliteEventStore(file, { synchronous: 'NORMAL' });
    closables.push(store);
    await buildLog(store, { events, streams, seed: 7 });
    return { store, file };
  }
  async function expectIdentical(source: EventStore, target: EventStore) {
    const [original, copy] = [await readEverything(source), await readEverything(target)];
    expect(copy.length).toBe(original.length);
    expect(new Set(copy.map((e) => e.eventId)).size).toBe(copy.length); // no duplicates
    // Every field except the store-specific position, in the same global order.
    expect(copy.map(withoutPosition)).toEqual(original.map(withoutPosition));
    // And each stream's chain is valid in the target.
    const streams = new Map<string, StoredEvent[]>();
    for (const e of copy) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
    for (const events of streams.values()) expect(verifyChain(events).valid).toBe(true);
  }

  beforeAll(async () => {
    const started = Date.now();
    bigSource = new SqliteEventStore(join(tempDir(), 'events.db'), { synchronous: 'NORMAL' });
    await buildLog(bigSource, { events: LOG_EVENTS, streams: LOG_STREAMS });
    log(`built a ${LOG_EVENTS}-event embedded log over ${LOG_STREAMS} streams in ${Date.now() - started} ms`);
  }, BIG);
  afterAll(async () => {
    await bigSource?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    double = await startEsdbTestDouble();
  });
  afterEach(async () => {
    for (const closable of closables.splice(0).reverse()) await closable.close();
    await double?.stop();
  });

  it(
    `copies a ${LOG_EVENTS}-event log with every field, hash and the global order intact`,
    async () => {
      const target = openTarget();
      const progress: CopyProgress[] = [];
      let started = Date.now();
      const result = await copyLog({ source: bigSource, target, batchSize: 500, onProgress: (p) => progress.push(p) });
      const copyMs = Date.now() - started;

      expect(result).toMatchObject({
        total: LOG_EVENTS,
        done: LOG_EVENTS,
        copied: LOG_EVENTS,
        skipped: 0,
        alreadyPresent: 0,
        resumedAfter: 0,
      });
      expect(result.appends).toBeLessThan(LOG_EVENTS); // multi-event appends stay together
      expect(progress[0]).toMatchObject({ done: 0, total: LOG_EVENTS });
      progress.slice(1).forEach((p, i) => expect(p.done).toBeGreaterThan(progress[i].done));
      expect(progress.at(-1)?.done).toBe(LOG_EVENTS);

      started = Date.now();
      await expectIdentical(bigSource, target);
      const readBackMs = Date.now() - started;

      started = Date.now();
      const report = await verifyCopy(bigSource, target);
      const verifyMs = Date.now() - started;
      expect(report).toMatchObject({
        ok: true,
        sourceEvents: LOG_EVENTS,
        targetEvents: LOG_EVENTS,
        identical: LOG_EVENTS,
        differences: [],
      });

      // Running it again finds everything there and appends nothing.
      started = Date.now();
      const again = await copyLog({ source: bigSource, target });
      const againMs = Date.now() - started;
      expect(again).toMatchObject({ copied: 0, skipped: 0, alreadyPresent: LOG_EVENTS, done: LOG_EVENTS });

      log(
        `copy: ${copyMs} ms (${result.appends} appends, ${Math.round(LOG_EVENTS / (copyMs / 1000))} events/s); ` +
          `read-back comparison: ${readBackMs} ms; verifyCopy: ${verifyMs} ms; no-op rerun: ${againMs} ms`,
      );
    },
    BIG,
  );

  it(
    'resumes after interruptions (a throwing onProgress, an abort, a crash after the server committed) without duplicates',
    async () => {
      const target = openTarget();
      let started = Date.now();

      // 1. onProgress throws after ~2,500 events.
      const stop = new Error('killed by the test');
      await expect(
        copyLog({
          source: bigSource,
          target,
          onProgress: (p) => {
            if (p.done >= 2500) throw stop;
          },
        }),
      ).rejects.toBe(stop);
      const afterFirst = (await readEverything(target)).length;
      expect(afterFirst).toBeGreaterThanOrEqual(2500);
      expect(afterFirst).toBeLessThan(2500 + 500);

      // 2. An AbortSignal, with another page size (the runs split differently from the first run's).
      const controller = new AbortController();
      const interrupted = await copyLog({
        source: bigSource,
        target,
        batchSize: 137,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.done >= 5000) controller.abort();
        },
      }).catch((error: unknown) => error);
      expect(interrupted).toBeInstanceOf(CopyInterruptedError);
      const second = (interrupted as CopyInterruptedError).progress;
      expect(second.alreadyPresent).toBe(afterFirst);
      expect(second.done).toBeGreaterThanOrEqual(5000);

      // 3. The process dies after EventStoreDB committed an append but before it learnt so.
      let appends = 0;
      const crashing: EventStore = Object.assign(Object.create(target) as EventStore, {
        append: async (...args: Parameters<EventStore['append']>) => {
          const result = await target.append(...args);
          if (++appends === 400) throw new Error('connection lost after the commit');
          return result;
        },
      });
      await expect(copyLog({ source: bigSource, target: crashing })).rejects.toThrow('connection lost after the commit');
      const beforeLast = (await readEverything(target)).length;

      // 4. The last run finishes the job.
      const last = await copyLog({ source: bigSource, target });
      expect(last.alreadyPresent).toBe(beforeLast); // the committed-but-unacknowledged append was found
      expect(last.alreadyPresent + last.copied).toBe(LOG_EVENTS);
      expect(last.skipped).toBe(0);
      const resumeMs = Date.now() - started;

      started = Date.now();
      await expectIdentical(bigSource, target);
      expect(await verifyCopy(bigSource, target)).toMatchObject({ ok: true, identical: LOG_EVENTS });
      log(`four interrupted/resumed runs: ${resumeMs} ms; read-back comparison and verifyCopy: ${Date.now() - started} ms`);
    },
    BIG,
  );

  it('with scanFromStart, checks each event against the target and skips the ones already copied', async () => {
    const { store: source } = await smallSource();
    const target = openTarget();
    await expect(
      copyLog({
        source,
        target,
        batchSize: 50,
        onProgress: (p) => {
          if (p.done >= 120) throw new Error('stop');
        },
      }),
    ).rejects.toThrow('stop');
    const present = (await readEverything(target)).length;

    const result = await copyLog({ source, target, batchSize: 64, scanFromStart: true });
    expect(result).toMatchObject({ resumedAfter: 0, alreadyPresent: 0, skipped: present, copied: 300 - present, done: 300 });
    await expectIdentical(source, target);
  });

  it('verifyCopy reports a tampered, a missing and a forged event, each by stream and revision', async () => {
    const { store: source, file } = await smallSource();
    const target = openTarget();
    await copyLog({ source, target });
    expect((await verifyCopy(source, target)).ok).toBe(true);

    const all = await readEverything(source);
    // Tampered: one event's data changed in the embedded file, its hash left as it was.
    const tampered = all[100];
    const db = new Database(file);
    db.prepare('UPDATE events SET data = ? WHERE event_id = ?').run(
      JSON.stringify({ ...tampered.data, ratio: 0.999999 }),
      tampered.eventId,
    );
    db.close();
    // Missing: two events appended to the source after the copy.
    const grown = all.filter((e) => e.streamId === 'dispute-3').at(-1)!;
    await source.append(
      'dispute-3',
      [0, 1].map((i) => ({ type: 'note-added-v1', data: { i }, metadata: grown.metadata })),
      grown.revision,
    );
    // Forged: an event written into EventStoreDB around the adapter, claiming a hash it does not have.
    const victim = all.filter((e) => e.streamId === 'dispute-5').at(-1)!;
    const forged = {
      ...victim,
      eventId: '00000000-0000-4000-a000-000000000001',
      revision: victim.revision + 1,
      prevHash: victim.hash,
      data: { refund: 1e6 },
    };
    await writeRaw(rawClient(), forged);

    const report = await verifyCopy(source, target);
    expect(report.ok).toBe(false);
    expect(report.counts).toEqual({ missing: 2, extra: 1, field: 1, order: 0, chain: 2 });
    const at = (kind: string, streamId: string, revision: number) =>
      report.differences.find((d) => d.kind === kind && d.streamId === streamId && d.revision === revision);
    expect(at('field', tampered.streamId, tampered.revision)).toMatchObject({ fields: ['data'] });
    expect(at('field', tampered.streamId, tampered.revision)?.message).toContain('0.999999');
    expect(at('chain', tampered.streamId, tampered.revision)).toMatchObject({ store: 'source' });
    expect(at('missing', 'dispute-3', grown.revision + 1)).toBeDefined();
    expect(at('missing', 'dispute-3', grown.revision + 2)).toBeDefined();
    expect(at('extra', 'dispute-5', forged.revision)).toBeDefined();
    expect(at('chain', 'dispute-5', forged.revision)).toMatchObject({ store: 'target' });
  });

  it('refuses to copy a source event that does not match its own hash, and writes nothing from it on', async () => {
    const { store: source, file } = await smallSource();
    const all = await readEverything(source);
    const tampered = all[150];
    const db = new Database(file);
    db.prepare('UPDATE events SET metadata = ? WHERE event_id = ?').run(
      JSON.stringify({ ...tampered.metadata, actorId: 'someone-else' }),
      tampered.eventId,
    );
    db.close();

    const target = openTarget();
    const error = await copyLog({ source, target }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncopyableSourceError);
    expect((error as Error).message).toContain(`${tampered.streamId}@${tampered.revision}`);
    const copied = await readEverything(target);
    expect(copied.length).toBeLessThan(151);
    expect(copied.map((e) => e.eventId)).toEqual(all.slice(0, copied.length).map((e) => e.eventId));
  });

  it('verifyCopy reports events whose global order differs from the source, even with identical content', async () => {
    const { store: source } = await smallSource(40, 4);
    const client = rawClient();
    const all = await readEverything(source);
    // Stream by stream instead of in global order: each stream is identical, $all is not.
    for (const streamId of [...new Set(all.map((e) => e.streamId))].reverse()) {
      for (const event of all.filter((e) => e.streamId === streamId)) await writeRaw(client, withoutPosition(event));
    }
    const report = await verifyCopy(source, openTarget());
    expect(report).toMatchObject({ ok: false, identical: 40, counts: { missing: 0, extra: 0, field: 0, chain: 0 } });
    expect(report.counts.order).toBeGreaterThan(0);
    expect(report.differences[0].message).toMatch(/comes after .* in the target's \$all, but before it in the source log/);
  });
});
