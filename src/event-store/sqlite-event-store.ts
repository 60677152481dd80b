import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Observable } from 'rxjs';
import { tailLog } from './domain/log-tailing';
import { PreparedAppend, reviveError, SqliteEventWriter, WrittenEvent } from './sqlite-event-writer';
import { SqliteWriterThread } from './sqlite-writer-thread';
import {
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
} from '../shared/event-sourcing/event-store.port';

export interface SqliteEventStoreOptions {
  /** FULL (default): a committed append survives power loss. NORMAL: survives a process crash only. */
  synchronous?: 'FULL' | 'NORMAL';
  /** How often subscriptions look for events written by other processes; default 250 ms. */
  pollIntervalMs?: number;
  /** How long a write waits for another process's write lock; default 5000 ms. */
  busyTimeoutMs?: number;
  /**
   * Commit in a writer thread of its own (the service does, when compiled): the transaction, the hash chain
   * and the commit's fsync leave the request thread, which only waits for the answer. Not for `:memory:`.
   */
  writerThread?: boolean;
}

export interface SqliteEventStoreStats {
  /** Write transactions committed or attempted (one per flushed batch). */
  transactions: number;
  appends: number;
  events: number;
  largestBatch: number;
  /** True when commits run in the writer thread. */
  writerThread: boolean;
}

const MAX_BATCH = 500;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id    TEXT NOT NULL UNIQUE,
  stream_id   TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  type        TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  data        TEXT NOT NULL,
  metadata    TEXT NOT NULL,
  prev_hash   TEXT,
  hash        TEXT NOT NULL,
  UNIQUE (stream_id, revision)
);`;

export interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  occurred_at: string;
  data: string;
  metadata: string;
  prev_hash: string | null;
  hash: string;
}

interface PendingAppend extends PreparedAppend {
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/**
 * Embedded event store on SQLite (WAL). Appends are group-committed: the appends queued while the previous
 * batch was being written (or during one turn of the event loop) go in one BEGIN IMMEDIATE transaction, so one
 * fsync serves many commands; promises settle only after COMMIT. Expected revisions are checked against the
 * database inside that transaction, never against a cache, because other processes may write the same file.
 * The transaction runs in this thread or in a writer thread (`writerThread`); reads always run here.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly pollIntervalMs: number;
  private readonly queue: PendingAppend[] = [];
  private flushScheduled = false;
  private readonly writer: SqliteEventWriter | null;
  private readonly writerThread: SqliteWriterThread | null;
  private inFlight: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  private closed = false;
  private readonly subscribers = new Set<{ wake(): void; complete(): void }>();
  private readonly counters: Omit<SqliteEventStoreStats, 'writerThread'> = { transactions: 0, appends: 0, events: 0, largestBatch: 0 };

  private readonly selectStream: Database.Statement<[string, number, number], EventRow>;
  private readonly selectAll: Database.Statement<[number, number], EventRow>;
  private readonly selectHead: Database.Statement<[], { head: number | null }>;
  private readonly selectPositions: Database.Statement<[string], EventRow>;

  constructor(file: string, options: SqliteEventStoreOptions = {}) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    const busyTimeoutMs = Math.trunc(options.busyTimeoutMs ?? 5000);
    // better-sqlite3 leaves WAL at NORMAL; a command answered 2xx must survive power loss.
    const synchronous = options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL';
    this.db = new Database(file);
    this.db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${synchronous}`);
    this.db.exec(SCHEMA);
    const threaded = options.writerThread === true && file !== ':memory:' && file !== '';
    this.writerThread = threaded ? new SqliteWriterThread({ file, synchronous, busyTimeoutMs }) : null;
    this.writer = threaded ? null : new SqliteEventWriter(this.db);

    this.selectStream = this.db.prepare('SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?');
    this.selectAll = this.db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?');
    this.selectHead = this.db.prepare('SELECT MAX(position) AS head FROM events');
    this.selectPositions = this.db.prepare('SELECT * FROM events WHERE position IN (SELECT value FROM json_each(?)) ORDER BY position');
  }

  /** async so that bad input (e.g. circular data) rejects instead of throwing; the enqueue stays synchronous. */
  async append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new Error(`append to ${streamId}: no events`);
    const appendedAt = new Date().toISOString();
    // Serialize now: the caller may mutate its objects before the flush.
    const prepared = events.map((event) => ({
      eventId: event.eventId ?? randomUUID(),
      type: event.type,
      occurredAt: event.occurredAt ?? appendedAt,
      data: JSON.stringify(event.data),
      metadata: JSON.stringify(event.metadata),
    }));
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, expectedRevision, events: prepared, resolve, reject });
      this.scheduleFlush();
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const rows = this.selectStream.all(streamId, options.fromRevision ?? 0, options.maxCount ?? -1);
    return rows.map(toStoredEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    return this.selectAll.all(options.after ?? 0, options.maxCount ?? -1).map(toStoredEvent);
  }

  async readPositions(positions: readonly number[]): Promise<StoredEvent[]> {
    this.assertOpen();
    return this.selectPositions.all(JSON.stringify(positions.filter(Number.isInteger))).map(toStoredEvent);
  }

  /**
   * Whether the log could write now, without writing to it: a one-row write beside it, on the connection
   * that commits appends (EventStoreWriteHealth calls it while a full or read-only disk keeps appends failing).
   */
  async probeWrite(): Promise<void> {
    this.assertOpen();
    const outcome = this.writerThread ? await this.writerThread.probe() : this.writer!.probe();
    if (!outcome.ok) throw reviveError(outcome.error);
  }

  /** Woken right after this instance commits, and by a poll timer for other processes' writes. */
  subscribeToAll(after = 0): Observable<StoredEvent> {
    return tailLog(
      {
        isClosed: () => this.closed,
        readPage: (from, maxCount) => this.selectAll.all(from, maxCount).map(toStoredEvent),
        register: (handle) => {
          this.subscribers.add(handle);
          return () => this.subscribers.delete(handle);
        },
        pollIntervalMs: this.pollIntervalMs,
      },
      after,
    );
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.selectHead.get()?.head ?? 0;
  }

  /** Writes what is still queued, completes subscriptions, closes the database. Idempotent. */
  close(): Promise<void> {
    return (this.closing ??= this.closeOnce());
  }

  private async closeOnce(): Promise<void> {
    await this.inFlight;
    while (this.queue.length > 0) await this.flushBatch();
    this.closed = true;
    for (const subscriber of [...this.subscribers]) subscriber.complete();
    this.subscribers.clear();
    await this.writerThread?.close();
    this.db.close();
  }

  stats(): SqliteEventStoreStats {
    return { ...this.counters, writerThread: this.writerThread !== null };
  }

  /** Effective connection settings, for health checks and tests. */
  pragmas(): { journalMode: string; synchronous: number; busyTimeout: number } {
    return {
      journalMode: this.db.pragma('journal_mode', { simple: true }) as string,
      synchronous: this.db.pragma('synchronous', { simple: true }) as number,
      busyTimeout: this.db.pragma('busy_timeout', { simple: true }) as number,
    };
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.inFlight) return; // a batch in flight schedules the next when it is done
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (this.closed || this.queue.length === 0 || this.inFlight) return;
      this.inFlight = this.flushBatch().finally(() => {
        this.inFlight = null;
        if (this.queue.length > 0 && !this.closed) this.scheduleFlush();
      });
    });
  }

  /** One transaction for up to MAX_BATCH queued appends; promises settle only after COMMIT. */
  private async flushBatch(): Promise<void> {
    const batch = this.queue.splice(0, MAX_BATCH);
    const requests = batch.map(({ streamId, expectedRevision, events }) => ({ streamId, expectedRevision, events }));
    this.counters.transactions++;
    this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
    const outcome = this.writerThread ? await this.writerThread.write(requests) : this.writer!.writeBatch(requests);
    if (!outcome.ok) {
      const error = reviveError(outcome.error);
      for (const request of batch) request.reject(error);
      return;
    }
    outcome.appends.forEach((appended, i) => {
      const request = batch[i];
      if (!appended.ok) return request.reject(reviveError(appended.error));
      this.counters.appends++;
      this.counters.events += appended.written.length;
      request.resolve(toAppendResult(request, appended.written));
    });
    if (outcome.appends.some((appended) => appended.ok)) for (const subscriber of this.subscribers) subscriber.wake();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
  }
}

/** Creates the data directory and opens `<dataDir>/events.db`. */
export function openSqliteEventStore(dataDir: string, options?: SqliteEventStoreOptions): SqliteEventStore {
  mkdirSync(dataDir, { recursive: true });
  return new SqliteEventStore(join(dataDir, 'events.db'), options);
}

/** The stored events of a committed append, from what was serialized and what the writer read back. */
function toAppendResult(request: PreparedAppend, written: WrittenEvent[]): AppendResult {
  const events = request.events.map((event, i): StoredEvent => ({
    eventId: event.eventId,
    type: event.type,
    streamId: request.streamId,
    occurredAt: event.occurredAt,
    ...written[i],
  }));
  const newest = events[events.length - 1];
  return { nextExpectedRevision: newest.revision, position: newest.position, events };
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    occurredAt: row.occurred_at,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
