import Database from 'better-sqlite3';
import { computeEventHash } from './domain/hash-chain';
import { checkExpectedRevision } from './domain/log-tailing';
import { EventMetadata, ExpectedRevision, WrongExpectedRevisionError } from '../shared/event-sourcing/event-store.port';

/** One append as the writer takes it: events already serialized (the caller may mutate its objects later). */
export interface PreparedAppend {
  streamId: string;
  expectedRevision: ExpectedRevision;
  events: Array<{ eventId: string; type: string; occurredAt: string; data: string; metadata: string }>;
}

/** What the log assigned to each event of an append, with the data and metadata as read back (parsed once, for the hash). */
export interface WrittenEvent {
  revision: number;
  position: number;
  prevHash: string | null;
  hash: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/** Plain data, so that it crosses a thread boundary; `reviveError` turns it back into the thrown error. */
export interface WriteFailure {
  message: string;
  code?: string;
  wrongRevision?: { streamId: string; expected: ExpectedRevision; actual: number };
}

export type AppendOutcome = { ok: true; written: WrittenEvent[] } | { ok: false; error: WriteFailure };
/** A batch either commits (each append with its own outcome) or fails as a whole. */
export type BatchOutcome = { ok: true; appends: AppendOutcome[] } | { ok: false; error: WriteFailure };

/**
 * Writes batches of appends to the SQLite log in one BEGIN IMMEDIATE transaction each: the expected revision
 * is checked against the database inside it, the hash chain computed, and the commit (synchronous=FULL, so
 * durable when it returns) is the acknowledgement. The same code runs in the store's own thread or in its
 * writer thread.
 */
export class SqliteEventWriter {
  private readonly lastOfStream: Database.Statement<[string], { revision: number; hash: string }>;
  private readonly insert: Database.Statement<unknown[], unknown>;
  private readonly appendOne: (request: PreparedAppend) => WrittenEvent[];
  private readonly batch: (requests: PreparedAppend[]) => AppendOutcome[];

  private probeStatement: Database.Statement<[string], unknown> | null = null;

  constructor(private readonly db: Database.Database) {
    this.lastOfStream = db.prepare('SELECT revision, hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1');
    this.insert = db.prepare(
      `INSERT INTO events (event_id, stream_id, revision, type, occurred_at, data, metadata, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Nested db.transaction() runs as a SAVEPOINT: a failing append rolls back only its own rows.
    this.appendOne = db.transaction((request: PreparedAppend) => this.write(request));
    this.batch = db.transaction((requests: PreparedAppend[]) =>
      requests.map((request): AppendOutcome => {
        try {
          return { ok: true, written: this.appendOne(request) };
        } catch (error) {
          if (isPerAppendError(error)) return { ok: false, error: toFailure(error) };
          throw error; // busy, I/O, full disk...: the whole batch fails
        }
      }),
    ).immediate;
  }

  writeBatch(requests: PreparedAppend[]): BatchOutcome {
    try {
      return { ok: true, appends: this.batch(requests) };
    } catch (error) {
      return { ok: false, error: toFailure(error) };
    }
  }

  /**
   * A tiny committed write beside the log (one row of its own table, never the events): whether the
   * database can write now, e.g. once space returns after SQLITE_FULL. Same outcome shape as a batch.
   */
  probe(): BatchOutcome {
    try {
      if (!this.probeStatement) {
        this.db.exec('CREATE TABLE IF NOT EXISTS write_probe (id INTEGER PRIMARY KEY CHECK (id = 1), probed_at TEXT NOT NULL)');
        this.probeStatement = this.db.prepare(
          'INSERT INTO write_probe (id, probed_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at',
        );
      }
      this.probeStatement.run(new Date().toISOString());
      return { ok: true, appends: [] };
    } catch (error) {
      return { ok: false, error: toFailure(error) };
    }
  }

  /** Runs inside the batch transaction; sees earlier appends of the same batch. */
  private write(request: PreparedAppend): WrittenEvent[] {
    const { streamId, expectedRevision } = request;
    const last = this.lastOfStream.get(streamId);
    checkExpectedRevision(streamId, expectedRevision, last ? last.revision : -1);
    let revision = last ? last.revision : -1;
    let prevHash = last ? last.hash : null;
    return request.events.map((event) => {
      revision++;
      const data = JSON.parse(event.data) as Record<string, unknown>;
      const metadata = JSON.parse(event.metadata) as EventMetadata;
      const hash = computeEventHash({
        eventId: event.eventId,
        type: event.type,
        streamId,
        revision,
        occurredAt: event.occurredAt,
        data,
        metadata,
        prevHash,
      });
      const info = this.insert.run(
        event.eventId,
        streamId,
        revision,
        event.type,
        event.occurredAt,
        event.data,
        event.metadata,
        prevHash,
        hash,
      );
      const written = { revision, position: Number(info.lastInsertRowid), prevHash, hash, data, metadata };
      prevHash = hash;
      return written;
    });
  }
}

/** Errors that concern one append only (its expected revision, a duplicate eventId). */
function isPerAppendError(error: unknown): boolean {
  if (error instanceof WrongExpectedRevisionError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
}

function toFailure(error: unknown): WriteFailure {
  if (error instanceof WrongExpectedRevisionError) {
    return { message: error.message, wrongRevision: { streamId: error.streamId, expected: error.expected, actual: error.actual } };
  }
  const code = (error as { code?: unknown } | null)?.code;
  return { message: (error as Error)?.message ?? String(error), ...(typeof code === 'string' ? { code } : {}) };
}

export function reviveError(failure: WriteFailure): Error {
  if (failure.wrongRevision) {
    const { streamId, expected, actual } = failure.wrongRevision;
    return new WrongExpectedRevisionError(streamId, expected, actual);
  }
  return Object.assign(new Error(failure.message), failure.code ? { code: failure.code } : {});
}
