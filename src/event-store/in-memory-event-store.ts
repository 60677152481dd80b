import { randomUUID } from 'node:crypto';
import { Observable } from 'rxjs';
import { computeEventHash } from './domain/hash-chain';
import { checkExpectedRevision, tailLog } from './domain/log-tailing';
import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
} from '../shared/event-sourcing/event-store.port';

/**
 * EventStore for unit tests, with the same semantics as SqliteEventStore: expected-revision checks,
 * hash chain, dense global positions from 1, subscriptions that deliver stored then live events.
 * Reads return copies so that a caller mutating an event cannot alter the log.
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly eventIds = new Set<string>();
  private readonly subscribers = new Set<{ wake(): void; complete(): void }>();
  private closed = false;

  async append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) throw new Error('event store is closed');
    if (events.length === 0) throw new Error(`append to ${streamId}: no events`);
    const stream = this.streams.get(streamId) ?? [];
    const last = stream[stream.length - 1];
    checkExpectedRevision(streamId, expectedRevision, last ? last.revision : -1);

    const appendedAt = new Date().toISOString();
    let prevHash = last ? last.hash : null;
    const stored = events.map((event, i) => {
      const hashable = {
        eventId: event.eventId ?? randomUUID(),
        type: event.type,
        streamId,
        revision: stream.length + i,
        occurredAt: event.occurredAt ?? appendedAt,
        // A JSON round trip, as a real store does, so the hash covers exactly what reads return.
        data: JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>,
        metadata: JSON.parse(JSON.stringify(event.metadata)) as StoredEvent['metadata'],
        prevHash,
      };
      const hash = computeEventHash(hashable);
      prevHash = hash;
      return { ...hashable, position: this.log.length + i + 1, hash };
    });
    // Event ids are unique across the log (SQLite: UNIQUE constraint); all or nothing.
    const ids = new Set(stored.map((e) => e.eventId));
    if (ids.size < stored.length || stored.some((e) => this.eventIds.has(e.eventId))) {
      throw new Error(`append to ${streamId}: duplicate eventId`);
    }

    this.log.push(...stored);
    for (const id of ids) this.eventIds.add(id);
    this.streams.set(streamId, [...stream, ...stored]);
    for (const subscriber of this.subscribers) subscriber.wake();
    const newest = stored[stored.length - 1];
    return { nextExpectedRevision: newest.revision, position: newest.position, events: structuredClone(stored) };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const from = options.fromRevision ?? 0;
    const events = (this.streams.get(streamId) ?? []).slice(from, from + (options.maxCount ?? Infinity));
    return structuredClone(events);
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    return this.readAllNow(options.after ?? 0, options.maxCount ?? Infinity);
  }

  async readPositions(positions: readonly number[]): Promise<StoredEvent[]> {
    const wanted = [...new Set(positions)].filter((p) => Number.isInteger(p) && p >= 1 && p <= this.log.length).sort((a, b) => a - b);
    return structuredClone(wanted.map((p) => this.log[p - 1]));
  }

  subscribeToAll(after = 0): Observable<StoredEvent> {
    return tailLog(
      {
        isClosed: () => this.closed,
        readPage: (from, maxCount) => this.readAllNow(from, maxCount),
        register: (handle) => {
          this.subscribers.add(handle);
          return () => this.subscribers.delete(handle);
        },
      },
      after,
    );
  }

  async headPosition(): Promise<number> {
    return this.log.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const subscriber of [...this.subscribers]) subscriber.complete();
    this.subscribers.clear();
  }

  private readAllNow(after: number, maxCount: number): StoredEvent[] {
    // Positions are dense from 1, so position p sits at index p - 1.
    return structuredClone(this.log.slice(Math.max(0, after), Math.max(0, after) + maxCount));
  }
}
