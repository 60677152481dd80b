import { Pool, PoolClient } from 'pg';
import { computeEventHash } from './domain/hash-chain';
import { checkExpectedRevision } from './domain/log-tailing';
import { PreparedAppend, WrittenEvent } from './sqlite-event-writer';
import { AppendResult, EventMetadata, StoredEvent, WrongExpectedRevisionError } from '../shared/event-sourcing/event-store.port';

/**
 * The PostgreSQL log's tables and its write transaction.
 *
 * GLOBAL ORDER. A sequence (or identity) column is the classic trap: two transactions draw 7 and 8, the
 * one holding 8 commits first, a reader pages past 8 and never sees 7. Here positions are assigned under a
 * single-row lock instead: every append transaction locks the `es_log_head` row (UPDATE in the one-statement
 * append, FOR UPDATE in the locked way) before it numbers its events, and holds it until its COMMIT. So
 * position N+1 is drawn only after the transaction holding N has committed or rolled back. PostgreSQL makes
 * a committed transaction visible (ProcArrayEndTransaction) before it releases its locks, so any snapshot
 * that shows N+1 also shows N; a rolled-back append releases its numbers to the next. Positions are therefore
 * dense, start at 1 and are in commit order, exactly as in the embedded store: a reader that asks for
 * `position > cursor` can neither skip nor repeat an event, however many writers run.
 * Chosen over transaction-id visibility (`xid8` + `pg_snapshot_xmin`) because it is simpler to prove and
 * keeps the port's dense positions, at the price of one committing append at a time in the whole database:
 * each process group-commits its queued appends in one statement, so the lock is taken once per batch and
 * held only for that statement and its commit (throughput in BENCHMARKS.md, "PostgreSQL event store").
 * STREAMS. The (stream_id, revision) key makes a forked chain impossible: an append computed from a stale
 * stream head collides with the event that moved it and is redone under the lock, reading the heads there.
 */

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS es_events (
  position    bigint PRIMARY KEY,
  event_id    text NOT NULL UNIQUE,
  stream_id   text NOT NULL,
  revision    integer NOT NULL,
  type        text NOT NULL,
  occurred_at text NOT NULL,
  data        text NOT NULL,
  metadata    text NOT NULL,
  prev_hash   text,
  hash        text NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE TABLE IF NOT EXISTS es_log_head (
  id       smallint PRIMARY KEY CHECK (id = 1),
  position bigint NOT NULL
);
INSERT INTO es_log_head (id, position) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
CREATE TABLE IF NOT EXISTS es_write_probe (
  id        smallint PRIMARY KEY CHECK (id = 1),
  probed_at text NOT NULL
);`;

/** A one-row write beside the log (never the events): whether the database can write now (/health while appends fail). */
export const PROBE_WRITE = `
INSERT INTO es_write_probe (id, probed_at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at`;

/** Serialises schema creation between processes starting together (CREATE ... IF NOT EXISTS races otherwise). */
const SCHEMA_LOCK_KEY = 7_419_305_118;

/**
 * Creates the tables unless they all exist: a store on a read-only connection (a standby, a database turned
 * read-only when its disk filled) still reads, and its appends fail with the database's own error.
 */
export async function createSchema(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    const exists = `SELECT bool_and(to_regclass(t) IS NOT NULL) AS ready FROM unnest(ARRAY['es_events', 'es_log_head', 'es_write_probe']) t`;
    if ((await client.query<{ ready: boolean }>(exists)).rows[0].ready) return;
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
    await client.query(SCHEMA_SQL);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
/** Wakes subscriptions of every process after a commit (payload: the new head). */
export const NOTIFY_CHANNEL = 'casetrail_events';

export interface PgEventRow {
  position: string | number;
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

export type PgAppendOutcome = { ok: true; written: WrittenEvent[] } | { ok: false; error: WrongExpectedRevisionError };

const LAST_OF_STREAMS = `
SELECT s.stream_id, e.revision, e.hash
  FROM unnest($1::text[]) AS s(stream_id)
  CROSS JOIN LATERAL (
    SELECT revision, hash FROM es_events WHERE es_events.stream_id = s.stream_id ORDER BY revision DESC LIMIT 1
  ) e`;

const EVENT_ARRAYS = `unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`;
const EVENT_COLUMNS = 'event_id, stream_id, revision, type, occurred_at, data, metadata, prev_hash, hash';

/**
 * The whole append in one statement, so one implicit transaction: take the head row (waiting for the append
 * holding it to commit, then reading its new value), number the events after it, insert them, wake every
 * listener on commit. The lock is held for this statement and its commit only, with no round trip inside.
 * The stream heads were read before it, without a lock: if another append got to one of these streams first,
 * the (stream_id, revision) key refuses ours (unique checks see committed rows whatever the snapshot) and
 * the batch is written again the locked way.
 */
const APPEND_STATEMENT = `
WITH head AS (
  UPDATE es_log_head SET position = position + $10 WHERE id = 1 RETURNING position - $10 AS base
), inserted AS (
  INSERT INTO es_events (position, ${EVENT_COLUMNS})
  SELECT head.base + e.ord, e.event_id, e.stream_id, e.revision, e.type, e.occurred_at, e.data, e.metadata, e.prev_hash, e.hash
    FROM head, ${EVENT_ARRAYS} WITH ORDINALITY AS e(${EVENT_COLUMNS}, ord)
)
SELECT base, pg_notify('${NOTIFY_CHANNEL}', (base + $10)::text) FROM head`;

/** The locked way's insert: positions given; moves the head to the last one ($10) and wakes every listener on COMMIT. */
const INSERT_EVENTS = `
WITH inserted AS (
  INSERT INTO es_events (position, ${EVENT_COLUMNS})
  SELECT $10::bigint + e.ord, ${EVENT_COLUMNS} FROM ${EVENT_ARRAYS} WITH ORDINALITY AS e(${EVENT_COLUMNS}, ord)
), moved AS (
  UPDATE es_log_head SET position = $10 + $11 WHERE id = 1 RETURNING position
)
SELECT pg_notify('${NOTIFY_CHANNEL}', position::text) FROM moved`;

type Querier = Pick<PoolClient, 'query'>;
interface Chained {
  outcomes: PgAppendOutcome[];
  /** The rows' columns in EVENT_COLUMNS order, for unnest. */
  columns: unknown[][];
  count: number;
}

export type StreamHeads = Map<string, { revision: number; hash: string }>;

/** The newest revision and hash of each stream of the batch, as committed now; a read, so safe to repeat. */
export async function headsOf(db: Querier, batch: readonly PreparedAppend[]): Promise<StreamHeads> {
  const streamIds = [...new Set(batch.map((append) => append.streamId))];
  const lasts = await db.query<{ stream_id: string; revision: number; hash: string }>(LAST_OF_STREAMS, [streamIds]);
  return new Map(lasts.rows.map((row) => [row.stream_id, { revision: row.revision, hash: row.hash }]));
}

/**
 * Checks each append's expected revision against `heads` (a failed one writes nothing and fails alone), then
 * chains its events and numbers them 1, 2, ... in batch order: the caller adds the position before the first.
 */
function chain(batch: readonly PreparedAppend[], heads: Map<string, { revision: number; hash: string }>): Chained {
  const columns: unknown[][] = Array.from({ length: 9 }, () => []);
  let count = 0;
  const outcomes = batch.map((append): PgAppendOutcome => {
    const { streamId } = append;
    const last = heads.get(streamId);
    try {
      checkExpectedRevision(streamId, append.expectedRevision, last ? last.revision : -1);
    } catch (error) {
      return { ok: false, error: error as WrongExpectedRevisionError };
    }
    let revision = last ? last.revision : -1;
    let prevHash = last ? last.hash : null;
    const written = append.events.map((event): WrittenEvent => {
      revision++;
      const data = JSON.parse(event.data) as Record<string, unknown>;
      const metadata = JSON.parse(event.metadata) as EventMetadata;
      const hash = computeEventHash({ ...event, streamId, revision, data, metadata, prevHash });
      const row = [event.eventId, streamId, revision, event.type, event.occurredAt, event.data, event.metadata, prevHash, hash];
      row.forEach((value, i) => columns[i].push(value));
      const result = { revision, position: ++count, prevHash, hash, data, metadata };
      prevHash = hash;
      return result;
    });
    heads.set(streamId, { revision, hash: prevHash! });
    return { ok: true, written };
  });
  return { outcomes, columns, count };
}

function shift(outcomes: PgAppendOutcome[], base: number): PgAppendOutcome[] {
  for (const outcome of outcomes) if (outcome.ok) for (const event of outcome.written) event.position += base;
  return outcomes;
}

/**
 * The fast way (see APPEND_STATEMENT): stream heads read without a lock, then one statement. Throws a unique
 * violation when a stream moved meanwhile or an event id is taken: the caller then uses `writeBatchLocked`.
 */
export async function writeBatch(db: Querier, batch: readonly PreparedAppend[], heads: StreamHeads): Promise<PgAppendOutcome[]> {
  const { outcomes, columns, count } = chain(batch, heads);
  if (count === 0) return outcomes;
  const { rows } = await db.query<{ base: string }>(APPEND_STATEMENT, [...columns, count]);
  return shift(outcomes, Number(rows[0].base));
}

/**
 * The locked way, for a batch that lost a race: one transaction that takes the head row first, then reads
 * the stream heads, so its expected-revision checks are exact; inserts, moves the head, COMMIT. Throws when
 * the transaction as a whole fails (e.g. a duplicate event id).
 */
export async function writeBatchLocked(client: PoolClient, batch: readonly PreparedAppend[]): Promise<PgAppendOutcome[]> {
  await client.query('BEGIN');
  try {
    const head = await client.query<{ position: string }>('SELECT position FROM es_log_head WHERE id = 1 FOR UPDATE');
    const base = Number(head.rows[0].position);
    const { outcomes, columns, count } = chain(batch, await headsOf(client, batch));
    if (count === 0) {
      await client.query('ROLLBACK');
      return outcomes;
    }
    await client.query(INSERT_EVENTS, [...columns, base, count]);
    await client.query('COMMIT');
    return shift(outcomes, base);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

export function toStoredEvent(row: PgEventRow): StoredEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    revision: row.revision,
    position: Number(row.position),
    occurredAt: row.occurred_at,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** A unique violation (SQLSTATE 23505): e.g. an event id already in the log. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

/** A unique violation on (stream_id, revision): another append reached one of the streams first. */
export function isRevisionClash(error: unknown): boolean {
  return isUniqueViolation(error) && (error as { constraint?: unknown }).constraint === 'es_events_stream_id_revision_key';
}

/** The stored events of a committed append, from what was serialized and what the transaction assigned. */
export function toAppendResult(append: PreparedAppend, written: WrittenEvent[]): AppendResult {
  const events = append.events.map((event, i): StoredEvent => ({
    eventId: event.eventId,
    type: event.type,
    streamId: append.streamId,
    occurredAt: event.occurredAt,
    ...written[i],
  }));
  const newest = events[events.length - 1];
  return { nextExpectedRevision: newest.revision, position: newest.position, events };
}

/** The appends that carry none of the `taken` event ids and repeat none of the batch's, and the others. */
export function splitDuplicates<A extends PreparedAppend>(batch: readonly A[], taken: Set<string>): { clean: A[]; clashing: A[] } {
  const clean: A[] = [];
  const clashing: A[] = [];
  for (const append of batch) {
    const own = append.events.map((event) => event.eventId);
    if (own.some((id) => taken.has(id)) || new Set(own).size < own.length) {
      clashing.push(append);
      continue;
    }
    for (const id of own) taken.add(id);
    clean.push(append);
  }
  return { clean, clashing };
}
