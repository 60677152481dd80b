import Database from 'better-sqlite3';
import { EventStore, WrongExpectedRevisionError } from '../shared/event-sourcing/event-store.port';
import { SignedCheckpoint } from './checkpoint';
import { StreamHead } from './merkle';

/**
 * Where signed checkpoints live. Each checkpoint is stored with the stream heads that changed since the
 * previous one (its delta); the heads a checkpoint covers are the newest head per stream over deltas 0..n.
 * `append` is a compare-and-set on the sequence: of several instances trying to write checkpoint n, one
 * wins and the others get false (and reload).
 */
export interface CommittedHead extends StreamHead {
  /** The checkpoint that committed to it. */
  sequence: number;
}

export interface CheckpointStore {
  readonly kind: 'sqlite-table' | 'stream';
  list(): Promise<SignedCheckpoint[]>;
  /** Checkpoints from `sequence` on, oldest first. */
  listFrom(sequence: number): Promise<SignedCheckpoint[]>;
  /** The heads stored with checkpoints from..to (inclusive), in sequence order. */
  committedHeadsBetween(from: number, to: number): Promise<CommittedHead[]>;
  latest(): Promise<SignedCheckpoint | null>;
  /** Every stream head covered by checkpoint `sequence` (deltas 0..sequence, newest wins). */
  heads(sequence: number): Promise<Map<string, StreamHead>>;
  /** Every head any checkpoint up to `sequence` committed to, per stream, oldest first. */
  committedHeads(sequence: number): Promise<Map<string, CommittedHead[]>>;
  append(checkpoint: SignedCheckpoint, delta: StreamHead[]): Promise<boolean>;
  close(): Promise<void>;
}

/** The stream holding checkpoints when the log is not the embedded SQLite file (EventStoreDB, in-memory). */
export const CHECKPOINT_STREAM = 'casetrail-audit-checkpoints';
export const CHECKPOINT_EVENT_TYPE = 'AuditCheckpointSigned';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_checkpoints (
  sequence         INTEGER PRIMARY KEY,
  checkpoint       TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_checkpoint_heads (
  sequence   INTEGER NOT NULL,
  stream_id  TEXT NOT NULL,
  revision   INTEGER NOT NULL,
  hash       TEXT NOT NULL,
  PRIMARY KEY (sequence, stream_id)
);`;

/** Two tables of events.db itself, through a connection of their own (WAL; the writer thread is not involved). */
export class SqliteCheckpointStore implements CheckpointStore {
  readonly kind = 'sqlite-table' as const;
  private readonly db: Database.Database;

  private schemaReady = false;

  /** Opening writes nothing (a full or read-only disk must not stop the service); the tables are created with the first checkpoint. */
  constructor(file: string, options: { readonly?: boolean } = {}) {
    this.db = new Database(file, { readonly: options.readonly === true, fileMustExist: options.readonly === true });
    this.db.pragma('busy_timeout = 5000');
  }

  private hasTables(): boolean {
    return this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_checkpoints'").get() !== undefined;
  }

  async list(): Promise<SignedCheckpoint[]> {
    if (!this.hasTables()) return [];
    return (this.db.prepare('SELECT checkpoint FROM audit_checkpoints ORDER BY sequence').all() as { checkpoint: string }[]).map(
      (r) => JSON.parse(r.checkpoint) as SignedCheckpoint,
    );
  }

  async listFrom(sequence: number): Promise<SignedCheckpoint[]> {
    if (!this.hasTables()) return [];
    return (
      this.db.prepare('SELECT checkpoint FROM audit_checkpoints WHERE sequence >= ? ORDER BY sequence').all(sequence) as {
        checkpoint: string;
      }[]
    ).map((r) => JSON.parse(r.checkpoint) as SignedCheckpoint);
  }

  async committedHeadsBetween(from: number, to: number): Promise<CommittedHead[]> {
    if (!this.hasTables()) return [];
    return this.db
      .prepare(
        'SELECT sequence, stream_id AS streamId, revision, hash FROM audit_checkpoint_heads WHERE sequence >= ? AND sequence <= ? ORDER BY sequence',
      )
      .all(from, to) as CommittedHead[];
  }

  async latest(): Promise<SignedCheckpoint | null> {
    if (!this.hasTables()) return null;
    const row = this.db.prepare('SELECT checkpoint FROM audit_checkpoints ORDER BY sequence DESC LIMIT 1').get() as
      { checkpoint: string } | undefined;
    return row ? (JSON.parse(row.checkpoint) as SignedCheckpoint) : null;
  }

  async heads(sequence: number): Promise<Map<string, StreamHead>> {
    const heads = new Map<string, StreamHead>();
    if (!this.hasTables()) return heads;
    const rows = this.db
      .prepare('SELECT stream_id AS streamId, revision, hash FROM audit_checkpoint_heads WHERE sequence <= ? ORDER BY sequence')
      .iterate(sequence) as IterableIterator<StreamHead>;
    for (const row of rows) heads.set(row.streamId, row); // row by row: every delta ever written never sits in one array
    return heads;
  }

  async committedHeads(sequence: number): Promise<Map<string, CommittedHead[]>> {
    if (!this.hasTables()) return new Map();
    const rows = this.db
      .prepare('SELECT sequence, stream_id AS streamId, revision, hash FROM audit_checkpoint_heads WHERE sequence <= ? ORDER BY sequence')
      .all(sequence) as CommittedHead[];
    return groupByStream(rows);
  }

  async append(checkpoint: SignedCheckpoint, delta: StreamHead[]): Promise<boolean> {
    if (!this.schemaReady) {
      this.db.exec(SCHEMA);
      this.schemaReady = true;
    }
    const insertHead = this.db.prepare('INSERT INTO audit_checkpoint_heads (sequence, stream_id, revision, hash) VALUES (?, ?, ?, ?)');
    const write = this.db.transaction(() => {
      const top = this.db.prepare('SELECT MAX(sequence) AS top FROM audit_checkpoints').get() as { top: number | null };
      if ((top.top ?? -1) !== checkpoint.sequence - 1) return false;
      this.db
        .prepare('INSERT INTO audit_checkpoints (sequence, checkpoint) VALUES (?, ?)')
        .run(checkpoint.sequence, JSON.stringify(checkpoint));
      for (const head of delta) insertHead.run(checkpoint.sequence, head.streamId, head.revision, head.hash);
      return true;
    });
    return write.immediate();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

interface CheckpointEventData extends Record<string, unknown> {
  checkpoint: SignedCheckpoint;
  heads: StreamHead[];
}

/** Checkpoints as events of their own stream (revision = sequence); used with EventStoreDB and in memory. */
export class StreamCheckpointStore implements CheckpointStore {
  readonly kind = 'stream' as const;
  /** The stream is append-only: what was read once is kept, and only newer events are read. */
  private readonly known: CheckpointEventData[] = [];
  private revisionsRead = 0;

  constructor(private readonly store: EventStore) {}

  private async read(): Promise<CheckpointEventData[]> {
    const events = await this.store.readStream(CHECKPOINT_STREAM, { fromRevision: this.revisionsRead });
    for (const e of events) {
      if (e.revision !== this.revisionsRead) continue;
      this.revisionsRead++;
      if (e.type === CHECKPOINT_EVENT_TYPE) this.known.push(e.data as CheckpointEventData);
    }
    return this.known;
  }

  async listFrom(sequence: number): Promise<SignedCheckpoint[]> {
    return (await this.read()).map((d) => d.checkpoint).filter((c) => c.sequence >= sequence);
  }

  async committedHeadsBetween(from: number, to: number): Promise<CommittedHead[]> {
    const rows: CommittedHead[] = [];
    for (const d of await this.read()) {
      if (d.checkpoint.sequence < from || d.checkpoint.sequence > to) continue;
      for (const head of d.heads) rows.push({ ...head, sequence: d.checkpoint.sequence });
    }
    return rows;
  }

  async list(): Promise<SignedCheckpoint[]> {
    return (await this.read()).map((d) => d.checkpoint);
  }

  async latest(): Promise<SignedCheckpoint | null> {
    const all = await this.list();
    return all[all.length - 1] ?? null;
  }

  async heads(sequence: number): Promise<Map<string, StreamHead>> {
    const heads = new Map<string, StreamHead>();
    for (const d of await this.read()) {
      if (d.checkpoint.sequence > sequence) break;
      for (const head of d.heads) heads.set(head.streamId, head);
    }
    return heads;
  }

  async committedHeads(sequence: number): Promise<Map<string, CommittedHead[]>> {
    const rows: CommittedHead[] = [];
    for (const d of await this.read()) {
      if (d.checkpoint.sequence > sequence) break;
      for (const head of d.heads) rows.push({ ...head, sequence: d.checkpoint.sequence });
    }
    return groupByStream(rows);
  }

  async append(checkpoint: SignedCheckpoint, delta: StreamHead[]): Promise<boolean> {
    try {
      await this.store.append(
        CHECKPOINT_STREAM,
        [
          {
            type: CHECKPOINT_EVENT_TYPE,
            data: { checkpoint, heads: delta },
            metadata: {
              actorId: 'system',
              actorRoles: ['system'],
              commandId: `audit-checkpoint-${checkpoint.sequence}`,
              correlationId: `audit-checkpoint-${checkpoint.sequence}`,
              causationId: null,
              policyVersion: null,
              schemaVersion: 1,
            },
          },
        ],
        checkpoint.sequence === 0 ? 'no_stream' : checkpoint.sequence - 1,
      );
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return false;
      throw error;
    }
  }

  async close(): Promise<void> {
    /* the event store is closed by its owner */
  }
}

function groupByStream(rows: CommittedHead[]): Map<string, CommittedHead[]> {
  const byStream = new Map<string, CommittedHead[]>();
  for (const row of rows) {
    const list = byStream.get(row.streamId) ?? [];
    list.push({ streamId: row.streamId, revision: row.revision, hash: row.hash, sequence: row.sequence });
    byStream.set(row.streamId, list);
  }
  return byStream;
}
