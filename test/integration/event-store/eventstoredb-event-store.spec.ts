import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { EventStoreDBClient } from '@eventstore/db-client';
import { NewEvent, StoredEvent, WrongExpectedRevisionError } from '../../../src/shared/event-sourcing/event-store.port';
import { verifyChain } from '../../../src/event-store/domain/hash-chain';
import { EventStoreDbEventStore } from '../../../src/event-store/eventstoredb-event-store';
import { eventStoreContract } from '../../contract/event-store.contract';
import { EsdbTestDouble, startEsdbTestDouble } from '../../support/esdb-test-double/start-esdb-test-double';

/**
 * The adapter over real gRPC against the EventStoreDB TEST DOUBLE (test/support/esdb-test-double), not a
 * real EventStoreDB: eventstoredb-real-server.spec.ts runs the same contract against a real node.
 */
let double: EsdbTestDouble;
beforeAll(async () => {
  double = await startEsdbTestDouble();
});
afterAll(async () => {
  await double?.stop();
});

const fastResubscribe = { resubscribeDelayMs: { initial: 20, max: 200 } };

eventStoreContract('eventstoredb (gRPC test double)', async () => {
  const store = EventStoreDbEventStore.fromConnectionString(double.connectionString, fastResubscribe);
  return { store, cleanup: () => store.close() };
});

const event = (data: Record<string, unknown> = {}): NewEvent => ({
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
const events = (n: number) => Array.from({ length: n }, (_, i) => event({ i }));
const newStream = () => `esdb-${randomUUID()}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('EventStoreDbEventStore (against the test double)', () => {
  const opened: Array<{ close(): Promise<void> }> = [];
  const open = (options = {}) => {
    const store = EventStoreDbEventStore.fromConnectionString(double.connectionString, { ...fastResubscribe, ...options });
    opened.push(store);
    return store;
  };
  const rawClient = () => {
    const client = EventStoreDBClient.connectionString(double.connectionString);
    opened.push({ close: () => client.dispose() });
    return client;
  };
  afterEach(async () => {
    for (const closable of opened.splice(0)) await closable.close();
  });

  it('appends through BatchAppend, the path a real 21.10+ server makes the client take', async () => {
    const before = await double.stats();
    await open().append(newStream(), events(2), 'no_stream');
    const after = await double.stats();
    expect(after.batchAppend).toBe(before.batchAppend + 1);
    expect(after.append).toBe(before.append);
  });

  describe.each([
    ['UNAVAILABLE (node gone; the client reconnects its channel)', status.UNAVAILABLE],
    ['INTERNAL (server-side failure)', status.INTERNAL],
  ])('after a forced subscription drop with %s', (_name, code) => {
    it('resubscribes from the last delivered position and delivers every later event exactly once', async () => {
      const drops: unknown[] = [];
      const store = open({ onSubscriptionDropped: (error: unknown) => drops.push(error) });
      const streamId = newStream();
      const start = await store.headPosition();
      const got: StoredEvent[] = [];
      const subscription = store.subscribeToAll(start).subscribe((e) => got.push(e));
      const mine = () => got.filter((e) => e.streamId === streamId);
      try {
        await store.append(streamId, events(5), 'no_stream');
        await waitFor(() => mine().length === 5, 'the first 5 events');

        expect((await double.dropSubscriptions(code)).dropped).toBeGreaterThanOrEqual(1);
        await store.append(streamId, events(5), 4); // written while the subscription is down or reconnecting
        await waitFor(() => mine().length === 10, 'the events appended across the drop');

        // Drops in the middle of a stream of appends.
        const writing = (async () => {
          for (let i = 0; i < 20; i++) await store.append(streamId, events(2), 'any');
        })();
        for (let i = 0; i < 3; i++) {
          await sleep(15);
          await double.dropSubscriptions(code);
        }
        await writing;
        await waitFor(() => mine().length === 50, 'all 50 events');
        await sleep(100); // anything repeated would arrive now

        const stored = await store.readStream(streamId);
        expect(mine()).toEqual(stored);
        const positions = got.map((e) => e.position);
        expect(new Set(positions).size).toBe(positions.length);
        positions.slice(1).forEach((p, i) => expect(p).toBeGreaterThan(positions[i]));
        expect(drops.length).toBeGreaterThanOrEqual(1);
        expect(subscription.closed).toBe(false);
      } finally {
        subscription.unsubscribe();
      }
    });
  });

  it('never surfaces system events from reads, the head position or subscriptions', async () => {
    const store = open();
    // The double's $all starts with system events, as a real node's does: the filter has work to do.
    const raw: string[] = [];
    for await (const resolved of rawClient().readAll({ maxCount: 10 })) raw.push(resolved.event?.type ?? '');
    expect(raw.some((type) => type.startsWith('$'))).toBe(true);

    const streamId = newStream();
    const { position } = await store.append(streamId, events(1), 'no_stream');
    const system = await double.appendSystemEvent(); // now the newest event of $all is a system event
    expect(system.position).toBeGreaterThan(position);
    expect(await store.headPosition()).toBe(position);

    const isSystem = (e: StoredEvent) => e.type.startsWith('$') || e.streamId.startsWith('$');
    const all = await store.readAll();
    expect(all.filter(isSystem)).toEqual([]);
    expect(all.at(-1)?.position).toBe(position);

    const got: StoredEvent[] = [];
    const subscription = store.subscribeToAll(0).subscribe((e) => got.push(e));
    try {
      await waitFor(() => got.some((e) => e.streamId === streamId), 'our event');
      await double.appendSystemEvent();
      const later = await store.append(streamId, events(1), 0);
      await waitFor(() => got.some((e) => e.position === later.position), 'the later event');
      expect(got.filter(isSystem)).toEqual([]);
      expect(got.map((e) => e.position)).toEqual(all.concat(later.events).map((e) => e.position));
    } finally {
      subscription.unsubscribe();
    }
  });

  describe('hash chain', () => {
    it('stores what verifyChain accepts, with the hash-chain fields in the EventStoreDB metadata', async () => {
      const store = open();
      const streamId = newStream();
      await store.append(streamId, events(2), 'no_stream');
      await store.append(streamId, events(1), 'stream_exists');
      await store.append(streamId, events(3), 2);
      await store.append(streamId, events(1), 'any');
      const read = await store.readStream(streamId);
      expect(verifyChain(read)).toEqual({ valid: true, events: 7 });

      const raw = [];
      for await (const resolved of rawClient().readStream(streamId)) raw.push(resolved.event!);
      expect(raw.map((e) => e.id)).toEqual(read.map((e) => e.eventId));
      expect(raw[1].metadata).toEqual({
        occurredAt: read[1].occurredAt,
        prevHash: read[0].hash,
        hash: read[1].hash,
        metadata: read[1].metadata,
        $correlationId: 'c1',
      });
      expect(raw[1].data).toEqual({ i: 1 });
    });

    it("keeps one chain when concurrent 'any' and 'stream_exists' appends race on a stream", async () => {
      const store = open();
      const streamId = newStream();
      await store.append(streamId, events(1), 'no_stream');
      await Promise.all(Array.from({ length: 12 }, (_, i) => store.append(streamId, events(2), i % 2 === 0 ? 'any' : 'stream_exists')));
      const read = await store.readStream(streamId);
      expect(read).toHaveLength(25);
      expect(verifyChain(read)).toEqual({ valid: true, events: 25 });
    });
  });

  describe('when another writer appends between our read and our append', () => {
    /** A store whose client lets `intruder` append to the stream right before our first append goes out. */
    function racedStore(streamId: string) {
      const intruder = open();
      const client = EventStoreDBClient.connectionString(double.connectionString);
      const appendToStream = client.appendToStream.bind(client);
      let raced = false;
      client.appendToStream = (async (...args: Parameters<typeof appendToStream>) => {
        if (!raced) {
          raced = true;
          await intruder.append(streamId, events(1), 'any');
        }
        return appendToStream(...args);
      }) as typeof client.appendToStream;
      const store = new EventStoreDbEventStore(client);
      opened.push(store);
      return store;
    }

    it.each([
      [0, 1],
      ['no_stream', 0],
    ] as const)('maps the server-side conflict for expected %p to WrongExpectedRevisionError (actual %p)', async (expected, actual) => {
      const streamId = newStream();
      const setup = open();
      if (expected === 0) await setup.append(streamId, events(1), 'no_stream');
      const error = await racedStore(streamId)
        .append(streamId, events(1), expected)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamId, expected, actual });
    });

    it.each(['any', 'stream_exists'] as const)("retries '%s' on top of the intruder's event, keeping the chain", async (expected) => {
      const streamId = newStream();
      await open().append(streamId, events(1), 'no_stream');
      const result = await racedStore(streamId).append(streamId, events(2), expected);
      expect(result.nextExpectedRevision).toBe(3);
      const read = await open().readStream(streamId);
      expect(verifyChain(read)).toEqual({ valid: true, events: 4 });
    });
  });
});
