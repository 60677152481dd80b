import { randomUUID } from 'node:crypto';
import {
  AllStreamSubscription,
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  jsonEvent,
  NO_STREAM,
  ReadPosition,
  RecordedEvent,
  ResolvedEvent,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { Observable } from 'rxjs';
import { computeEventHash } from './domain/hash-chain';
import {
  Envelope,
  envelopeOf,
  isSystemEvent,
  positionOf,
  roundTrip,
  satisfies,
  sleep,
  toEsdbPosition,
  toStoredEvent,
} from './eventstoredb-mapping';
import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  WrongExpectedRevisionError,
} from '../shared/event-sourcing/event-store.port';

export interface EventStoreDbEventStoreOptions {
  /** Attempts of an append whose `any`/`stream_exists` lost a race with another writer; default 10. */
  maxAppendAttempts?: number;
  /** Backoff between resubscribes after a dropped subscription; default 100 ms doubling up to 5 s. */
  resubscribeDelayMs?: { initial: number; max: number };
  /** Called on every subscription drop, before the resubscribe: for logs and /health. */
  onSubscriptionDropped?: (error: unknown, attempt: number) => void;
}

const PAGE = 500;
const HEAD_PAGE = 32;

/**
 * EventStore port on EventStoreDB (gRPC client 6.x). Streams map 1:1.
 *
 * Positions: our global `position` is the event's EventStoreDB commit position as a Number. Commit
 * positions are byte offsets in the transaction log, exact as Numbers up to 2^53 bytes (8 PiB). For events
 * not written in explicit transactions (the gRPC client cannot write those) commit == prepare, so a
 * position converts back to `{ commit, prepare }` losslessly. Stream reads must carry these positions,
 * which EventStoreDB does from 22.6 on (kurrent-io/KurrentDB#3459); older servers send 2^64-1 and this
 * adapter refuses them loudly.
 *
 * System events (`$`-prefixed types or streams) never surface: the client's readAll has no server-side
 * filter, so reads filter here; subscriptions filter on the server and again here.
 */
export class EventStoreDbEventStore implements EventStore {
  private closed = false;
  private readonly subscribers = new Set<{ complete(): void }>();
  private readonly maxAppendAttempts: number;
  private readonly resubscribeDelayMs: { initial: number; max: number };

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EventStoreDbEventStoreOptions = {},
  ) {
    this.maxAppendAttempts = options.maxAppendAttempts ?? 10;
    this.resubscribeDelayMs = options.resubscribeDelayMs ?? { initial: 100, max: 5000 };
  }

  static fromConnectionString(connectionString: string, options?: EventStoreDbEventStoreOptions): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  /**
   * Reads the stream's last event (its revision and hash), chains the new events onto it and appends
   * with the exact revision read, so the chain cannot fork. `any` and `stream_exists` are resolved to that
   * revision and retried when another writer got there first; `no_stream` and a number are checked as given.
   */
  async append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new Error(`append to ${streamId}: no events`);
    const appendedAt = new Date().toISOString();
    // JSON round trip now: the hash must cover exactly what is stored, and callers may mutate their objects.
    const prepared = events.map((event) => ({
      eventId: event.eventId ?? randomUUID(),
      type: event.type,
      occurredAt: event.occurredAt ?? appendedAt,
      data: roundTrip(event.data),
      metadata: roundTrip(event.metadata),
    }));

    for (let attempt = 1; ; attempt++) {
      const last = await this.lastEventOf(streamId);
      const actual = last ? Number(last.revision) : -1;
      if (!satisfies(expectedRevision, actual)) throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
      let prevHash = last ? envelopeOf(last).hash : null;
      const esdbEvents = prepared.map((event, i) => {
        const hash = computeEventHash({ ...event, streamId, revision: actual + 1 + i, prevHash });
        const envelope: Envelope = { occurredAt: event.occurredAt, prevHash, hash, metadata: event.metadata };
        if (typeof event.metadata.correlationId === 'string') envelope.$correlationId = event.metadata.correlationId;
        if (typeof event.metadata.causationId === 'string') envelope.$causationId = event.metadata.causationId;
        prevHash = hash;
        return jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata: { ...envelope } });
      });
      try {
        await this.client.appendToStream(streamId, esdbEvents, { expectedRevision: actual === -1 ? NO_STREAM : BigInt(actual) });
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        const current = error.actualVersion === 'no_stream' ? -1 : Number(error.actualVersion);
        const resolvedByUs = expectedRevision === 'any' || expectedRevision === 'stream_exists';
        if (resolvedByUs && attempt < this.maxAppendAttempts) {
          await sleep(Math.random() * 10 * attempt); // de-synchronize writers racing on the same stream
          continue;
        }
        throw new WrongExpectedRevisionError(streamId, expectedRevision, current);
      }
      // The append answers with the last event's position only; read ours back for every position.
      const stored = await this.readStream(streamId, { fromRevision: actual + 1, maxCount: prepared.length });
      if (stored.map((e) => e.eventId).join() !== prepared.map((e) => e.eventId).join()) {
        // E.g. EventStoreDB treated the append as an idempotent repeat of events already stored.
        throw new Error(`append to ${streamId}: the events read back are not the ones appended`);
      }
      const newest = stored[stored.length - 1];
      return { nextExpectedRevision: newest.revision, position: newest.position, events: stored };
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    if (options.maxCount === 0) return [];
    const read = this.client.readStream(streamId, {
      fromRevision: options.fromRevision ? BigInt(options.fromRevision) : START,
      maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
    });
    return (await collect(read)).map(toStoredEvent);
  }

  /** Pages through $all forwards; a read from a position includes the event at it, which is skipped. */
  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? Infinity;
    let after = options.after ?? 0;
    const result: StoredEvent[] = [];
    let from: ReadPosition = after === 0 ? START : toEsdbPosition(after);
    while (result.length < maxCount) {
      const page = await collect(this.client.readAll({ fromPosition: from, maxCount: PAGE }));
      for (const event of page) {
        const position = positionOf(event);
        if (position <= after) continue;
        after = position;
        if (!isSystemEvent(event)) result.push(toStoredEvent(event));
        if (result.length >= maxCount) break;
      }
      if (page.length < PAGE) break;
      from = toEsdbPosition(after);
    }
    return result;
  }

  /**
   * One $all read per position (a commit position converts back to the event's exact position), 16 at a
   * time; a read that lands on another event or a system event means no event of ours is there.
   */
  async readPositions(positions: readonly number[]): Promise<StoredEvent[]> {
    this.assertOpen();
    const wanted = [...new Set(positions)].filter((p) => Number.isSafeInteger(p) && p >= 0).sort((a, b) => a - b);
    const found: StoredEvent[] = [];
    for (let i = 0; i < wanted.length; i += 16) {
      const reads = wanted.slice(i, i + 16).map(async (position) => {
        const [event] = await collect(this.client.readAll({ fromPosition: toEsdbPosition(position), maxCount: 1 }));
        return event && positionOf(event) === position && !isSystemEvent(event) ? toStoredEvent(event) : null;
      });
      for (const event of await Promise.all(reads)) if (event) found.push(event);
    }
    return found;
  }

  /**
   * A filtered $all subscription from `after` (exclusive). When it errors or ends, it resubscribes with
   * backoff from the last delivered position; positions at or before it are dropped, so nothing repeats.
   */
  subscribeToAll(after = 0): Observable<StoredEvent> {
    return new Observable<StoredEvent>((subscriber) => {
      if (this.closed) return subscriber.complete();
      let cursor = after;
      let attempt = 0;
      let stopped = false;
      let current: AllStreamSubscription | undefined;
      let timer: NodeJS.Timeout | undefined;

      const connect = () => {
        if (stopped) return;
        const subscription = this.client.subscribeToAll({
          fromPosition: cursor === 0 ? START : toEsdbPosition(cursor),
          filter: excludeSystemEvents(),
        });
        current = subscription;
        let dropped = false;
        const resubscribe = (error: unknown) => {
          if (dropped || stopped) return;
          dropped = true;
          void subscription.unsubscribe().catch(() => undefined);
          attempt++;
          this.options.onSubscriptionDropped?.(error, attempt);
          const { initial, max } = this.resubscribeDelayMs;
          timer = setTimeout(connect, Math.min(initial * 2 ** (attempt - 1), max));
        };
        subscription.on('data', (resolved: ResolvedEvent) => {
          if (stopped || !resolved.event) return;
          try {
            const position = positionOf(resolved.event);
            if (position <= cursor) return; // delivered before the resubscribe
            cursor = position;
            attempt = 0;
            if (!isSystemEvent(resolved.event)) subscriber.next(toStoredEvent(resolved.event));
          } catch (error) {
            // A bug or a foreign event, not a connection problem: resubscribing would only repeat it.
            stopped = true;
            void subscription.unsubscribe().catch(() => undefined);
            subscriber.error(error);
          }
        });
        subscription.on('error', resubscribe);
        subscription.on('end', () => resubscribe(new Error('subscription ended by the server')));
        subscription.on('close', () => resubscribe(new Error('subscription closed')));
      };

      const handle = { complete: () => subscriber.complete() };
      this.subscribers.add(handle);
      connect();
      return () => {
        stopped = true;
        clearTimeout(timer);
        this.subscribers.delete(handle);
        void current?.unsubscribe().catch(() => undefined);
      };
    });
  }

  /** The newest non-system event's position: $all backwards, skipping system events. */
  async headPosition(): Promise<number> {
    this.assertOpen();
    let from: ReadPosition = END;
    for (;;) {
      const page = await collect(this.client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: HEAD_PAGE }));
      const newest = page.find((event) => !isSystemEvent(event));
      if (newest) return positionOf(newest);
      if (page.length < HEAD_PAGE) return 0;
      from = toEsdbPosition(positionOf(page[page.length - 1])); // backwards, a position is exclusive
    }
  }

  /** Completes subscriptions and disposes the client. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const subscriber of [...this.subscribers]) subscriber.complete();
    this.subscribers.clear();
    await this.client.dispose();
  }

  private async lastEventOf(streamId: string): Promise<RecordedEvent | undefined> {
    const [last] = await collect(this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }));
    return last;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
  }
}

/** The events of a read; a stream that does not exist reads as empty. */
async function collect(read: AsyncIterable<ResolvedEvent>): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  try {
    for await (const resolved of read) if (resolved.event) events.push(resolved.event);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
  return events;
}
