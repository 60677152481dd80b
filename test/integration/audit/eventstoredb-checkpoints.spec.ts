import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Checkpointer } from '../../../src/audit-trail/checkpointer';
import { CHECKPOINT_STREAM, StreamCheckpointStore } from '../../../src/audit-trail/checkpoint-store';
import { loadSigningKey } from '../../../src/audit-trail/signing-key';
import { verifyLog } from '../../../src/audit-trail/verify-log';
import { EventStore, ReadAllOptions, ReadStreamOptions, StoredEvent } from '../../../src/shared/event-sourcing/event-store.port';
import { computeEventHash } from '../../../src/event-store/domain/hash-chain';
import { EventStoreDbEventStore } from '../../../src/event-store/eventstoredb-event-store';
import { EsdbTestDouble, startEsdbTestDouble } from '../../support/esdb-test-double/start-esdb-test-double';
import { newEvent } from '../../support/tamper';
import { removeDir } from '../../support/test-app';

/**
 * Checkpoints and verification through the EventStoreDB adapter against the gRPC TEST DOUBLE (not a real server):
 * checkpoints live in their own stream, appended with an expected revision so that of two instances only one
 * writes each sequence. EventStoreDB cannot edit an event in place; what an operator can do (delete a stream,
 * truncate it with $tb, or serve a doctored copy) is shown by a view of the log with those changes.
 */
let double: EsdbTestDouble;
let dataDir: string;
beforeAll(async () => {
  double = await startEsdbTestDouble();
  dataDir = mkdtempSync(join(tmpdir(), 'casetrail-esdb-audit-'));
});
afterAll(async () => {
  await double?.stop();
  if (dataDir) removeDir(dataDir);
});

/** The log as a doctored server would serve it. */
function doctored(store: EventStore, change: (events: StoredEvent[]) => StoredEvent[]): EventStore {
  return {
    ...store,
    append: store.append.bind(store),
    subscribeToAll: store.subscribeToAll.bind(store),
    headPosition: store.headPosition.bind(store),
    close: store.close.bind(store),
    readAll: async (options: ReadAllOptions = {}) =>
      change(await store.readAll({ after: options.after })).slice(0, options.maxCount ?? Infinity),
    readStream: async (streamId: string, options?: ReadStreamOptions) =>
      change(await store.readStream(streamId, options)).filter((e) => e.streamId === streamId),
  };
}

describe('signed checkpoints on EventStoreDB (test double)', () => {
  it('checkpoints a log in its own stream, once per sequence across two instances, and catches deletion, truncation and re-hashed edits', async () => {
    const a = EventStoreDbEventStore.fromConnectionString(double.connectionString);
    const b = EventStoreDbEventStore.fromConnectionString(double.connectionString);
    try {
      const streams = [`dispute-${randomUUID()}`, `dispute-${randomUUID()}`];
      for (const s of streams)
        await a.append(s, [newEvent('DisputeFiled', { s }), newEvent('NoteAdded', { n: 1 }), newEvent('NoteAdded', { n: 2 })], 'no_stream');
      const key = loadSigningKey({ signingKey: null, dataDir });
      const storeA = new StreamCheckpointStore(a);
      const storeB = new StreamCheckpointStore(b);
      // Two instances race for the same sequence: exactly one writes it.
      const [one, two] = await Promise.all([new Checkpointer(a, storeA, key).checkpoint(), new Checkpointer(b, storeB, key).checkpoint()]);
      expect([one, two].filter((c) => c !== null)).toHaveLength(1);
      const checkpoints = await storeA.list();
      expect(checkpoints.map((c) => c.sequence)).toEqual([0]);
      expect((await a.readStream(CHECKPOINT_STREAM)).length).toBe(1);

      const intact = await verifyLog(a, storeA, key.publicKey);
      expect(intact).toMatchObject({ valid: true, damages: [], checkpointsChecked: 1 });
      expect(intact.events).toBeGreaterThanOrEqual(6);

      const [victim, other] = streams;
      const deleted = await verifyLog(
        doctored(a, (events) => events.filter((e) => e.streamId !== victim)),
        storeA,
        key.publicKey,
      );
      expect(deleted.damages).toEqual([expect.objectContaining({ kind: 'stream-deleted', streamId: victim, revision: 2 })]);

      const truncated = await verifyLog(
        doctored(a, (events) => events.filter((e) => !(e.streamId === other && e.revision === 2))),
        storeA,
        key.publicKey,
      );
      expect(truncated.damages).toEqual([expect.objectContaining({ kind: 'truncated', streamId: other, revision: 2 })]);

      const rehashed = (events: StoredEvent[]) => {
        let prev: string | null = null;
        return events.map((e) => {
          if (e.streamId !== victim) return e;
          const data = e.revision === 1 ? { n: 'changed' } : e.data;
          const changed = { ...e, data, prevHash: prev };
          changed.hash = computeEventHash(changed);
          prev = changed.hash;
          return changed;
        });
      };
      const rewritten = await verifyLog(doctored(a, rehashed), storeA, key.publicKey);
      expect(rewritten.damages).toEqual([expect.objectContaining({ kind: 'rewritten', streamId: victim, revision: 2 })]);

      // Later events: the next checkpoint commits to them and links to the first.
      await a.append(victim, [newEvent('NoteAdded', { n: 3 })], 2);
      const next = await new Checkpointer(b, storeB, key).checkpoint();
      expect(next).toMatchObject({ sequence: 1, prevCheckpointHash: checkpoints[0].checkpointHash });
      expect((await verifyLog(b, storeB, key.publicKey)).valid).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
