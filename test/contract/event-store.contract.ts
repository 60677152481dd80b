import { randomUUID } from 'node:crypto';
import { Observable, Subscription } from 'rxjs';
import {
  EventStore,
  ExpectedRevision,
  NewEvent,
  StoredEvent,
  WrongExpectedRevisionError,
} from '../../src/shared/event-sourcing/event-store.port';
import { computeEventHash, verifyChain } from '../../src/event-store/domain/hash-chain';

/**
 * The behaviour every EventStore adapter must show. It must also hold against a shared server
 * (EventStoreDB) with other writers: streams are unique per test, global positions are only compared
 * (never asserted as exact numbers), and readAll results are filtered to the test's own streams.
 */
export function eventStoreContract(
  name: string,
  create: () => Promise<{ store: EventStore; cleanup(): Promise<void> }>,
  /** The error class the adapter throws: the compiled one when the adapter under test is loaded from dist/. */
  { WrongRevision = WrongExpectedRevisionError as abstract new (...args: never[]) => Error } = {},
): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await create());
    });
    afterEach(async () => {
      await cleanup();
    });

    const newStream = (prefix = 'contract') => `${prefix}-${randomUUID()}`;
    const event = (type = 'thing-happened-v1', data: Record<string, unknown> = {}, extra: Partial<NewEvent> = {}): NewEvent => ({
      type,
      data,
      metadata: {
        actorId: 'user-1',
        actorRoles: ['agent'],
        commandId: randomUUID(),
        correlationId: 'corr-1',
        causationId: null,
        policyVersion: 3,
        schemaVersion: 1,
      },
      ...extra,
    });
    const events = (n: number) => Array.from({ length: n }, (_, i) => event('thing-happened-v1', { i }));
    const mine = (all: StoredEvent[], streams: string[]) => all.filter((e) => streams.includes(e.streamId));

    async function expectWrongRevision(promise: Promise<unknown>, streamId: string, expected: ExpectedRevision, actual: number) {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WrongRevision);
      expect(error).toMatchObject({ streamId, expected, actual });
    }

    describe('append and readStream', () => {
      it('round-trips every field and returns what it stored', async () => {
        const streamId = newStream();
        const eventId = randomUUID();
        const given = event(
          'case-opened-v1',
          { caseId: 'c-1', amount: 12.5, tags: ['a', 'b'], nested: { x: null } },
          {
            eventId,
            occurredAt: '2024-05-01T10:00:00.000Z',
          },
        );
        given.metadata = { ...given.metadata, causationId: 'cmd-0', extraField: { deep: true } };
        const before = Date.now();
        const result = await store.append(streamId, [given, event('case-assigned-v1', { to: 'u2' })], 'no_stream');
        const after = Date.now();

        const read = await store.readStream(streamId);
        expect(read).toHaveLength(2);
        expect(result.events).toEqual(read);
        expect(result.nextExpectedRevision).toBe(1);
        expect(result.position).toBe(read[1].position);

        const [first, second] = read;
        expect(first).toEqual({
          eventId,
          type: 'case-opened-v1',
          streamId,
          revision: 0,
          position: expect.any(Number),
          occurredAt: '2024-05-01T10:00:00.000Z',
          data: given.data,
          metadata: given.metadata,
          prevHash: null,
          hash: computeEventHash(first),
        });
        expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(second).toMatchObject({ type: 'case-assigned-v1', streamId, revision: 1, data: { to: 'u2' }, prevHash: first.hash });
        expect(second.position).toBeGreaterThan(first.position);
        // occurredAt defaults to the append time, ISO-8601 UTC.
        expect(second.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
        expect(Date.parse(second.occurredAt)).toBeGreaterThanOrEqual(before - 1000);
        expect(Date.parse(second.occurredAt)).toBeLessThanOrEqual(after + 1000);
      });

      it('returns an empty array for a stream that does not exist', async () => {
        await expect(store.readStream(newStream())).resolves.toEqual([]);
      });

      it('keeps eventIds when given and generates unique ones otherwise', async () => {
        const streamId = newStream();
        const ids = [randomUUID(), randomUUID()];
        await store.append(streamId, [event('a', {}, { eventId: ids[0] }), event('b', {}, { eventId: ids[1] })], 'any');
        await store.append(streamId, [event('c'), event('d')], 'any');
        const read = await store.readStream(streamId);
        expect(read.slice(0, 2).map((e) => e.eventId)).toEqual(ids);
        const generated = read.slice(2).map((e) => e.eventId);
        for (const id of generated) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
        expect(new Set(read.map((e) => e.eventId)).size).toBe(4);
      });

      it('appends several events atomically, with consecutive revisions', async () => {
        const streamId = newStream();
        const result = await store.append(streamId, events(3), 'no_stream');
        expect(result.nextExpectedRevision).toBe(2);
        const read = await store.readStream(streamId);
        expect(read.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(read.map((e) => e.data)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
        expect(read[1].position).toBeGreaterThan(read[0].position);
        expect(read[2].position).toBeGreaterThan(read[1].position);

        // A rejected multi-event append writes none of its events.
        await expectWrongRevision(store.append(streamId, events(3), 0), streamId, 0, 2);
        await expect(store.readStream(streamId)).resolves.toHaveLength(3);
      });

      it('reads a stream from a revision, with a maximum count', async () => {
        const streamId = newStream();
        await store.append(streamId, events(3), 'no_stream');
        await store.append(streamId, events(2), 2);
        const revisions = async (options: { fromRevision?: number; maxCount?: number }) =>
          (await store.readStream(streamId, options)).map((e) => e.revision);
        expect(await revisions({ fromRevision: 2 })).toEqual([2, 3, 4]);
        expect(await revisions({ maxCount: 2 })).toEqual([0, 1]);
        expect(await revisions({ fromRevision: 1, maxCount: 2 })).toEqual([1, 2]);
        expect(await revisions({ fromRevision: 5 })).toEqual([]);
      });
    });

    describe('expected revision', () => {
      it("'any' succeeds on a missing and on an existing stream", async () => {
        const streamId = newStream();
        await expect(store.append(streamId, events(1), 'any')).resolves.toMatchObject({ nextExpectedRevision: 0 });
        await expect(store.append(streamId, events(1), 'any')).resolves.toMatchObject({ nextExpectedRevision: 1 });
      });

      it("'no_stream' succeeds on a missing stream and fails on an existing one", async () => {
        const streamId = newStream();
        await expect(store.append(streamId, events(2), 'no_stream')).resolves.toMatchObject({ nextExpectedRevision: 1 });
        await expectWrongRevision(store.append(streamId, events(1), 'no_stream'), streamId, 'no_stream', 1);
        await expect(store.readStream(streamId)).resolves.toHaveLength(2);
      });

      it("'stream_exists' fails on a missing stream and succeeds on an existing one", async () => {
        const streamId = newStream();
        await expectWrongRevision(store.append(streamId, events(1), 'stream_exists'), streamId, 'stream_exists', -1);
        await expect(store.readStream(streamId)).resolves.toEqual([]);
        await store.append(streamId, events(1), 'no_stream');
        await expect(store.append(streamId, events(1), 'stream_exists')).resolves.toMatchObject({ nextExpectedRevision: 1 });
      });

      it('an exact revision succeeds when right and fails when lower, higher or on a missing stream', async () => {
        const streamId = newStream();
        await expectWrongRevision(store.append(streamId, events(1), 0), streamId, 0, -1);
        await store.append(streamId, events(2), 'no_stream');
        await expectWrongRevision(store.append(streamId, events(1), 0), streamId, 0, 1);
        await expectWrongRevision(store.append(streamId, events(1), 2), streamId, 2, 1);
        await expectWrongRevision(store.append(streamId, events(1), 7), streamId, 7, 1);
        await expect(store.append(streamId, events(1), 1)).resolves.toMatchObject({ nextExpectedRevision: 2 });
        await expect(store.readStream(streamId)).resolves.toHaveLength(3);
      });

      it('lets exactly one of several concurrent appends with the same expected revision win', async () => {
        const streamId = newStream();
        await store.append(streamId, events(1), 'no_stream');
        const results = await Promise.allSettled(Array.from({ length: 10 }, () => store.append(streamId, events(2), 0)));
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(failures).toHaveLength(9);
        for (const failure of failures) {
          expect(failure.reason).toBeInstanceOf(WrongRevision);
          expect(failure.reason).toMatchObject({ actual: 2 });
        }
        expect((await store.readStream(streamId)).map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it("lets exactly one of several concurrent 'no_stream' appends create the stream", async () => {
        const streamId = newStream();
        const results = await Promise.allSettled(Array.from({ length: 5 }, () => store.append(streamId, events(1), 'no_stream')));
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        await expect(store.readStream(streamId)).resolves.toHaveLength(1);
      });
    });

    describe('hash chain', () => {
      it('stays valid across appends and detects tampering of a copy', async () => {
        const streamId = newStream();
        await store.append(streamId, events(2), 'no_stream');
        await store.append(streamId, [event('other-v1', { note: 'x' })], 1);
        await store.append(streamId, events(3), 2);
        const read = await store.readStream(streamId);
        expect(verifyChain(read)).toEqual({ valid: true, events: 6 });
        read.slice(1).forEach((e, i) => expect(e.prevHash).toBe(read[i].hash));

        const tamperedData = structuredClone(read);
        tamperedData[3].data = { note: 'y' };
        expect(verifyChain(tamperedData)).toMatchObject({ valid: false, firstInvalidRevision: 3 });

        const tamperedMetadata = structuredClone(read);
        tamperedMetadata[1].metadata.actorId = 'someone-else';
        expect(verifyChain(tamperedMetadata)).toMatchObject({ valid: false, firstInvalidRevision: 1 });

        // Recomputing one hash does not help: the next event's prevHash no longer matches.
        const rehashed = structuredClone(read);
        rehashed[2].data = { forged: true };
        rehashed[2].hash = computeEventHash(rehashed[2]);
        expect(verifyChain(rehashed)).toMatchObject({ valid: false, firstInvalidRevision: 3 });

        const removed = read.filter((e) => e.revision !== 4);
        expect(verifyChain(removed).valid).toBe(false);

        expect(verifyChain(await store.readStream(streamId)).valid).toBe(true);
      });
    });

    describe('readAll and headPosition', () => {
      it('reads every stream in global order, after a position, with a maximum count', async () => {
        const start = await store.headPosition();
        const [a, b] = [newStream('a'), newStream('b')];
        await store.append(a, events(1), 'no_stream');
        await store.append(b, events(2), 'no_stream');
        await store.append(a, events(1), 0);
        await store.append(b, events(1), 1);

        const all = mine(await store.readAll({ after: start }), [a, b]);
        expect(all.map((e) => [e.streamId, e.revision])).toEqual([
          [a, 0],
          [b, 0],
          [b, 1],
          [a, 1],
          [b, 2],
        ]);
        all.slice(1).forEach((e, i) => expect(e.position).toBeGreaterThan(all[i].position));
        expect(all[0].position).toBeGreaterThan(start);

        const middle = all[2].position;
        const later = await store.readAll({ after: middle });
        expect(later.every((e) => e.position > middle)).toBe(true);
        expect(mine(later, [a, b])).toEqual(all.slice(3));

        const page = await store.readAll({ after: middle, maxCount: 2 });
        expect(page).toHaveLength(2);
        expect(page).toEqual(later.slice(0, 2));
      });

      it('reads events by global position, once each, in global order, leaving out positions without one', async () => {
        const [a, b] = [newStream('pa'), newStream('pb')];
        await store.append(a, events(2), 'no_stream');
        await store.append(b, events(3), 'no_stream');
        const [a0, a1] = await store.readStream(a);
        const [, b1, b2] = await store.readStream(b);
        const beyond = (await store.headPosition()) + 1_000_000;
        const read = await store.readPositions([b2.position, a0.position, beyond, b1.position, a0.position]);
        expect(read).toEqual([a0, b1, b2]);
        expect(await store.readPositions([a1.position])).toEqual([a1]);
        await expect(store.readPositions([])).resolves.toEqual([]);
      });

      it('moves the head position forward with each append', async () => {
        const before = await store.headPosition();
        expect(before).toBeGreaterThanOrEqual(0);
        const first = await store.append(newStream(), events(2), 'no_stream');
        const afterFirst = await store.headPosition();
        expect(afterFirst).toBeGreaterThanOrEqual(first.position);
        expect(first.position).toBeGreaterThan(before);
        const second = await store.append(newStream(), events(1), 'no_stream');
        expect(second.position).toBeGreaterThan(first.position);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(second.position);
      });
    });

    describe('subscribeToAll', () => {
      it('delivers stored then live events in global order, without gaps or repeats', async () => {
        const start = await store.headPosition();
        const streams = Array.from({ length: 20 }, () => newStream('sub'));
        const appendTo = (i: number, n = 1) => store.append(streams[i % streams.length], events(n), 'any');

        for (let i = 0; i < 50; i++) await appendTo(i); // stored before subscribing
        const received = collect(store.subscribeToAll(start), (got) => mine(got, streams).length >= 200);
        for (let i = 0; i < 50; i++) await appendTo(i); // live, one by one
        await Promise.all(Array.from({ length: 50 }, (_, i) => appendTo(i))); // live, in parallel
        await Promise.all(Array.from({ length: 10 }, (_, i) => appendTo(i, 5))); // live, multi-event appends

        const got = await received.done;
        const stored = await store.readAll({ after: start });
        // Everything delivered, in order, is exactly the log after `start`: no gap, no repeat.
        expect(got.map((e) => e.position)).toEqual(stored.slice(0, got.length).map((e) => e.position));
        expect(new Set(got.map((e) => e.position)).size).toBe(got.length);
        expect(mine(got, streams)).toEqual(mine(stored, streams));
        expect(mine(got, streams)).toHaveLength(200);
      });

      it('starts after a middle position and keeps delivering live events', async () => {
        const streamId = newStream();
        await store.append(streamId, events(10), 'no_stream');
        const stored = await store.readStream(streamId);
        const received = collect(store.subscribeToAll(stored[4].position), (got) => mine(got, [streamId]).length >= 6);
        await store.append(streamId, events(1), 9);
        const got = mine(await received.done, [streamId]);
        expect(got.map((e) => e.revision)).toEqual([5, 6, 7, 8, 9, 10]);
      });

      it('stops delivering after unsubscribe', async () => {
        const streamId = newStream();
        const start = await store.headPosition();
        await store.append(streamId, events(2), 'no_stream');
        const got: StoredEvent[] = [];
        const subscription = store.subscribeToAll(start).subscribe((e) => got.push(e));
        await waitFor(() => mine(got, [streamId]).length === 2);
        subscription.unsubscribe();
        const count = got.length;
        await store.append(streamId, events(3), 1);
        await sleep(400); // longer than a polling interval
        expect(got).toHaveLength(count);
      });

      it('completes when the store closes', async () => {
        let completed = false;
        const subscription = store.subscribeToAll(await store.headPosition()).subscribe({ complete: () => (completed = true) });
        await store.close();
        expect(completed).toBe(true);
        subscription.unsubscribe();
      });
    });
  });
}

/** Collects events until `until` holds, then unsubscribes; rejects after a timeout, saying how far it got. */
function collect(source: Observable<StoredEvent>, until: (received: StoredEvent[]) => boolean, timeoutMs = 15000) {
  const events: StoredEvent[] = [];
  const done = new Promise<StoredEvent[]>((resolve, reject) => {
    // eslint-disable-next-line prefer-const -- assigned after finish() is defined, which may run before subscribe() returns
    let subscription: Subscription | undefined;
    let finished = false;
    const finish = (settle: () => void) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      queueMicrotask(() => subscription?.unsubscribe()); // next() may run before subscribe() returns
      settle();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`subscription timed out after ${events.length} events`))), timeoutMs);
    subscription = source.subscribe({
      next: (event) => {
        events.push(event);
        if (until(events)) finish(() => resolve(events.slice()));
      },
      error: (error: unknown) => finish(() => reject(error)),
    });
  });
  return { done };
}

async function waitFor(condition: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
