import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { Observable } from 'rxjs';
import {
  createSchema,
  isRevisionClash,
  isUniqueViolation,
  NOTIFY_CHANNEL,
  PgAppendOutcome,
  PgEventRow,
  PROBE_WRITE,
  splitDuplicates,
  toAppendResult,
  toStoredEvent,
  writeBatch,
  writeBatchLocked,
} from './postgres-event-log';
import { connectReadingHeads, retryDropped } from './postgres-connections';
import { PgListener } from './postgres-listener';
import { PreparedAppend } from './sqlite-event-writer';
import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
} from '../shared/event-sourcing/event-store.port';

export interface PostgresEventStoreOptions {
  /** Connections of this store's pool; default 4 (one commits at a time, the others read). */
  poolSize?: number;
  /** Subscriptions also look for new events on this timer, beside LISTEN/NOTIFY; default 500 ms. */
  pollIntervalMs?: number;
}

export interface PostgresEventStoreStats {
  transactions: number;
  appends: number;
  events: number;
  largestBatch: number;
  /** Batches written again under the lock because a stream moved between reading its head and the insert. */
  lockedRetries: number;
}

const MAX_BATCH = 500;
const PAGE = 500;

interface PendingAppend extends PreparedAppend {
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/**
 * EventStore port on PostgreSQL: one table of events (dense global positions in commit order, see
 * postgres-event-log.ts for why a reader can never skip one), the hash chain per stream as in the embedded
 * store, appends group-committed per process (what is queued while a batch commits goes in the next one),
 * subscriptions woken by LISTEN/NOTIFY from any process and by a poll timer. The tables live in the
 * connection's schema (`search_path`), created on first use.
 */
export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly poolSize: number;
  private readonly pollIntervalMs: number;
  private ready: Promise<void> | null = null;
  private readonly queue: PendingAppend[] = [];
  private flushScheduled = false;
  private inFlight: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  private closed = false;
  private readonly subscribers = new Set<{ wake(): void; complete(): void }>();
  private readonly listener: PgListener;
  private readonly counters: PostgresEventStoreStats = { transactions: 0, appends: 0, events: 0, largestBatch: 0, lockedRetries: 0 };

  constructor(connectionString: string, options: PostgresEventStoreOptions = {}) {
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.poolSize = options.poolSize ?? 4;
    this.pool = new Pool({ connectionString, max: this.poolSize });
    // A connection dropped by the server (restart, failover) must not crash the process: the query on it fails.
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => client.on('error', () => undefined));
    this.listener = new PgListener(connectionString, NOTIFY_CHANNEL, () => {
      for (const subscriber of this.subscribers) subscriber.wake();
    });
  }

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
    const rows = await this.query<PgEventRow>(
      'SELECT * FROM es_events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3',
      [streamId, options.fromRevision ?? 0, options.maxCount ?? null],
    );
    return rows.map(toStoredEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    return (await this.readPage(options.after ?? 0, options.maxCount ?? null)).map(toStoredEvent);
  }

  async readPositions(positions: readonly number[]): Promise<StoredEvent[]> {
    const wanted = positions.filter(Number.isSafeInteger);
    const sql = 'SELECT * FROM es_events WHERE position = ANY($1::bigint[]) ORDER BY position';
    return (await this.query<PgEventRow>(sql, [wanted])).map(toStoredEvent);
  }

  /** Every event after `after`, stored then live; a failed read errors the subscription (callers resubscribe). */
  subscribeToAll(after = 0): Observable<StoredEvent> {
    return new Observable<StoredEvent>((subscriber) => {
      if (this.closed) return subscriber.complete();
      let cursor = after;
      let running = false;
      let again = false;
      const run = async () => {
        if (running) return void (again = true);
        running = true;
        try {
          do {
            again = false;
            for (;;) {
              const page = await this.readPage(cursor, PAGE);
              for (const row of page) {
                if (subscriber.closed) return;
                const event = toStoredEvent(row);
                cursor = event.position;
                subscriber.next(event);
              }
              if (page.length < PAGE) break;
            }
          } while (again && !subscriber.closed && !this.closed);
        } catch (error) {
          if (!this.closed && !subscriber.closed) subscriber.error(error);
        } finally {
          running = false;
        }
      };
      const handle = { wake: () => void run(), complete: () => subscriber.complete() };
      this.subscribers.add(handle);
      this.listener.start();
      const timer = setInterval(handle.wake, this.pollIntervalMs);
      timer.unref();
      handle.wake();
      return () => {
        clearInterval(timer);
        this.subscribers.delete(handle);
      };
    });
  }

  /** Whether the database could write now, without touching the log (see EventStoreWriteHealth). */
  async probeWrite(): Promise<void> {
    await this.query(PROBE_WRITE, [new Date().toISOString()]);
  }

  async headPosition(): Promise<number> {
    const [row] = await this.query<{ position: string }>('SELECT position FROM es_log_head WHERE id = 1');
    return Number(row.position);
  }

  /** Writes what is still queued, completes subscriptions, closes the connections. Idempotent. */
  close(): Promise<void> {
    return (this.closing ??= this.closeOnce());
  }

  stats(): PostgresEventStoreStats {
    return { ...this.counters };
  }

  private async closeOnce(): Promise<void> {
    await this.inFlight;
    while (this.queue.length > 0) await this.flushBatch();
    this.closed = true;
    for (const subscriber of [...this.subscribers]) subscriber.complete();
    this.subscribers.clear();
    await this.listener.stop();
    await this.pool.end();
  }

  private async query<R extends object>(sql: string, params: unknown[] = []): Promise<R[]> {
    this.assertOpen();
    await this.ensureSchema();
    // A read (or the probe) on a connection the server dropped while it was idle never ran: try another.
    return retryDropped(this.poolSize, async () => (await this.pool.query<R>(sql, params)).rows);
  }

  private readPage(after: number, maxCount: number | null): Promise<PgEventRow[]> {
    return this.query<PgEventRow>('SELECT * FROM es_events WHERE position > $1 ORDER BY position LIMIT $2', [after, maxCount]);
  }

  /** Creates the tables once per store (retried after a failure), under an advisory lock shared by every process. */
  private ensureSchema(): Promise<void> {
    return (this.ready ??= createSchema(this.pool).catch((error: unknown) => {
      this.ready = null;
      throw error;
    }));
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
    try {
      await this.ensureSchema();
      await this.commit(batch);
    } catch (error) {
      for (const append of batch) append.reject(error);
      return;
    }
    for (const subscriber of this.subscribers) subscriber.wake();
  }

  /**
   * Commits the batch. When it fails on a duplicate event id, the appends carrying an id already stored (or
   * repeated in the batch) fail, and the others are committed again together (each alone if none was found).
   */
  private async commit(batch: PendingAppend[]): Promise<void> {
    let outcomes: PgAppendOutcome[];
    const { client, heads } = await connectReadingHeads(this.pool, this.poolSize, batch);
    try {
      this.counters.transactions++;
      this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
      try {
        outcomes = await writeBatch(client, batch, heads);
      } catch (error) {
        if (!isRevisionClash(error)) throw error;
        this.counters.lockedRetries++; // a stream moved since its head was read: redo the batch under the lock
        outcomes = await writeBatchLocked(client, batch);
      }
    } catch (error) {
      const duplicate = isUniqueViolation(error);
      client.release(duplicate ? undefined : (error as Error)); // a connection that failed otherwise is not reused
      if (!duplicate || batch.length === 1) throw error;
      const clean = await this.withoutDuplicates(batch, error);
      if (clean.length < batch.length) return clean.length > 0 ? this.commit(clean) : undefined;
      for (const append of batch) await this.commit([append]).catch((failure: unknown) => append.reject(failure));
      return;
    }
    client.release();
    outcomes.forEach((outcome, i) => {
      const append = batch[i];
      if (!outcome.ok) return append.reject(outcome.error);
      this.counters.appends++;
      this.counters.events += outcome.written.length;
      append.resolve(toAppendResult(append, outcome.written));
    });
  }

  /** Rejects (with the unique violation) the appends whose event ids are stored or repeated; returns the others. */
  private async withoutDuplicates(batch: PendingAppend[], violation: unknown): Promise<PendingAppend[]> {
    const ids = batch.flatMap((append) => append.events.map((event) => event.eventId));
    const rows = await this.query<{ event_id: string }>('SELECT event_id FROM es_events WHERE event_id = ANY($1)', [ids]);
    const { clean, clashing } = splitDuplicates(batch, new Set(rows.map((row) => row.event_id)));
    for (const append of clashing) append.reject(violation);
    return clean;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
  }
}
