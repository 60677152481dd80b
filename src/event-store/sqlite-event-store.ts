import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Observable } from 'rxjs';
import { computeEventHash } from './domain/hash-chain';
import { checkExpectedRevision, tailLog } from './domain/log-tailing';
import {
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  WrongExpectedRevisionError,
} from './domain/event-store.port';

export interface SqliteEventStoreOptions {
  /** FULL (default): a committed append survives power loss. NORMAL: survives a process crash only. */
  synchronous?: 'FULL' | 'NORMAL';
  /** How often subscriptions look for events written by other processes; default 250 ms. */
  pollIntervalMs?: number;
  /** How long a write waits for another process's write lock; default 5000 ms. */
  busyTimeoutMs?: number;
}

export interface SqliteEventStoreStats {
  /** Write transactions committed or attempted (one per flushed batch). */
  transactions: number;
  appends: number;
  events: number;
  largestBatch: number;
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

interface EventRow {
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

interface PendingAppend {
  streamId: string;
  expectedRevision: ExpectedRevision;
  events: Array<{ eventId: string; type: string; occurredAt: string; data: string; metadata: string }>;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

/**
 * Embedded event store on SQLite (WAL). Appends are group-committed: every append queued during one
 * turn of the event loop is written in one BEGIN IMMEDIATE transaction, so one fsync serves many
 * commands. Expected revisions are checked against the database inside that transaction, never
 * against a cache, because other processes may write the same file.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly pollIntervalMs: number;
  private readonly queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly subscribers = new Set<{ wake(): void; complete(): void }>();
  private readonly counters: SqliteEventStoreStats = { transactions: 0, appends: 0, events: 0, largestBatch: 0 };

  private readonly lastOfStream: Database.Statement<[string], { revision: number; hash: string }>;
  private readonly insert: Database.Statement<unknown[], unknown>;
  private readonly selectStream: Database.Statement<[string, number, number], EventRow>;
  private readonly selectAll: Database.Statement<[number, number], EventRow>;
  private readonly selectHead: Database.Statement<[], { head: number | null }>;
  private readonly writeBatch: (batch: PendingAppend[]) => Outcome[];
  private readonly appendOne: (request: PendingAppend) => AppendResult;

  constructor(file: string, options: SqliteEventStoreOptions = {}) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.db = new Database(file);
    this.db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    this.db.pragma('journal_mode = WAL');
    // better-sqlite3 leaves WAL at NORMAL; a command answered 2xx must survive power loss.
    this.db.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
    this.db.exec(SCHEMA);

    this.lastOfStream = this.db.prepare(
      'SELECT revision, hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
    );
    this.insert = this.db.prepare(
      `INSERT INTO events (event_id, stream_id, revision, type, occurred_at, data, metadata, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectStream = this.db.prepare(
      'SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
    );
    this.selectAll = this.db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?');
    this.selectHead = this.db.prepare('SELECT MAX(position) AS head FROM events');

    // Nested db.transaction() runs as a SAVEPOINT: a failing append rolls back only its own rows.
    this.appendOne = this.db.transaction((request: PendingAppend) => this.write(request));
    this.writeBatch = this.db.transaction((batch: PendingAppend[]) =>
      batch.map((request): Outcome => {
        try {
          return { ok: true, result: this.appendOne(request) };
        } catch (error) {
          if (isPerAppendError(error)) return { ok: false, error };
          throw error; // busy, I/O, full disk...: the whole batch fails
        }
      }),
    ).immediate;
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
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.queue.length > 0) this.flushBatch();
    this.closed = true;
    for (const subscriber of [...this.subscribers]) subscriber.complete();
    this.subscribers.clear();
    this.db.close();
  }

  stats(): SqliteEventStoreStats {
    return { ...this.counters };
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
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (this.closed || this.queue.length === 0) return;
      this.flushBatch();
      if (this.queue.length > 0) this.scheduleFlush();
    });
  }

  /** One transaction for up to MAX_BATCH queued appends; promises settle only after COMMIT. */
  private flushBatch(): void {
    const batch = this.queue.splice(0, MAX_BATCH);
    this.counters.transactions++;
    this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
    let outcomes: Outcome[];
    try {
      outcomes = this.writeBatch(batch);
    } catch (error) {
      for (const request of batch) request.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => {
      if (!outcome.ok) return batch[i].reject(outcome.error);
      this.counters.appends++;
      this.counters.events += outcome.result.events.length;
      batch[i].resolve(outcome.result);
    });
    if (outcomes.some((outcome) => outcome.ok)) for (const subscriber of this.subscribers) subscriber.wake();
  }

  /** Runs inside the batch transaction; sees earlier appends of the same batch. */
  private write(request: PendingAppend): AppendResult {
    const { streamId, expectedRevision } = request;
    const last = this.lastOfStream.get(streamId);
    checkExpectedRevision(streamId, expectedRevision, last ? last.revision : -1);
    let revision = last ? last.revision : -1;
    let prevHash = last ? last.hash : null;
    const stored = request.events.map((event): StoredEvent => {
      revision++;
      const hashable = {
        eventId: event.eventId,
        type: event.type,
        streamId,
        revision,
        occurredAt: event.occurredAt,
        data: JSON.parse(event.data) as Record<string, unknown>,
        metadata: JSON.parse(event.metadata) as EventMetadata,
        prevHash,
      };
      const hash = computeEventHash(hashable);
      const info = this.insert.run(
        event.eventId, streamId, revision, event.type, event.occurredAt, event.data, event.metadata, prevHash, hash,
      );
      prevHash = hash;
      return { ...hashable, position: Number(info.lastInsertRowid), hash };
    });
    const newest = stored[stored.length - 1];
    return { nextExpectedRevision: newest.revision, position: newest.position, events: stored };
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

/** Errors that concern one append only (its expected revision, a duplicate eventId). */
function isPerAppendError(error: unknown): boolean {
  if (error instanceof WrongExpectedRevisionError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
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
