import { PoolClient } from 'pg';
import { computeEventHash } from './domain/hash-chain';
import { checkExpectedRevision } from './domain/log-tailing';
import { PreparedAppend, WrittenEvent } from './sqlite-event-writer';
import { AppendResult, EventMetadata, StoredEvent, WrongExpectedRevisionError } from '../shared/event-sourcing/event-store.port';

/**
 * The PostgreSQL log's tables and its write transaction.
 *
 * GLOBAL ORDER. A sequence (or identity) column is the classic trap: two transactions draw 7 and 8, the
 * one holding 8 commits first, a reader pages past 8 and never sees 7. Here positions are assigned under a
 * single-row lock instead: every append transaction takes `es_log_head` FOR UPDATE before it reads the
 * stream heads, and writes the new head before COMMIT. So appends are serialised across every process, and
 * position N+1 is drawn only after the transaction holding N has committed. PostgreSQL makes a committed
 * transaction visible (ProcArrayEndTransaction) before it releases its locks, so any snapshot that shows
 * N+1 also shows N; a rolled-back append releases its numbers to the next. Positions are therefore dense,
 * start at 1 and are in commit order, exactly as in the embedded store: a reader that asks for
 * `position > cursor` can neither skip nor repeat an event, however many writers run.
 * Chosen over transaction-id visibility (`xid8` + `pg_snapshot_xmin`) because it is simpler to prove and
 * keeps the port's dense positions, at the price of one append transaction at a time in the whole database:
 * each process group-commits its queued appends in one transaction, so the lock is taken once per batch
 * (throughput in BENCHMARKS.md, "PostgreSQL event store"). The same lock makes the per-stream expected-revision
 * check and the hash chain race-free without any other lock.
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
INSERT INTO es_log_head (id, position) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;`;

/** Serialises schema creation between processes starting together (CREATE ... IF NOT EXISTS races otherwise). */
export const SCHEMA_LOCK_KEY = 7_419_305_118;
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

/** Inserts the events, moves the head to the last position ($11) and wakes every listener on COMMIT. */
const INSERT_EVENTS = `
WITH inserted AS (
  INSERT INTO es_events (position, event_id, stream_id, revision, type, occurred_at, data, metadata, prev_hash, hash)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::integer[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
), moved AS (
  UPDATE es_log_head SET position = $11 WHERE id = 1 RETURNING position
)
SELECT pg_notify('${NOTIFY_CHANNEL}', position::text) FROM moved`;

/**
 * One transaction for a batch of appends: lock the head, read the heads of the streams involved, check each
 * append's expected revision (a failed one writes nothing and fails alone), chain and number the events,
 * insert them in one statement, move the head, COMMIT. Throws when the transaction as a whole fails (e.g. a
 * duplicate event id: the caller then retries the appends one by one, so only the faulty one fails).
 */
export async function writeBatch(client: PoolClient, batch: readonly PreparedAppend[]): Promise<PgAppendOutcome[]> {
  await client.query('BEGIN');
  try {
    const head = await client.query<{ position: string }>('SELECT position FROM es_log_head WHERE id = 1 FOR UPDATE');
    let position = Number(head.rows[0].position);
    const streamIds = [...new Set(batch.map((append) => append.streamId))];
    const lasts = await client.query<{ stream_id: string; revision: number; hash: string }>(LAST_OF_STREAMS, [streamIds]);
    const heads = new Map(lasts.rows.map((row) => [row.stream_id, { revision: row.revision, hash: row.hash }]));
    const columns: unknown[][] = Array.from({ length: 10 }, () => []);
    const outcomes = batch.map((append): PgAppendOutcome => {
      const last = heads.get(append.streamId);
      try {
        checkExpectedRevision(append.streamId, append.expectedRevision, last ? last.revision : -1);
      } catch (error) {
        return { ok: false, error: error as WrongExpectedRevisionError };
      }
      let revision = last ? last.revision : -1;
      let prevHash = last ? last.hash : null;
      const written = append.events.map((event): WrittenEvent => {
        revision++;
        position++;
        const data = JSON.parse(event.data) as Record<string, unknown>;
        const metadata = JSON.parse(event.metadata) as EventMetadata;
        const { streamId } = append;
        const hash = computeEventHash({ ...event, streamId, revision, data, metadata, prevHash });
        const row = [position, event.eventId, streamId, revision, event.type, event.occurredAt, event.data, event.metadata, prevHash, hash];
        row.forEach((value, i) => columns[i].push(value));
        const result = { revision, position, prevHash, hash, data, metadata };
        prevHash = hash;
        return result;
      });
      heads.set(append.streamId, { revision, hash: prevHash! });
      return { ok: true, written };
    });
    if (columns[0].length === 0) {
      await client.query('ROLLBACK');
      return outcomes;
    }
    await client.query(INSERT_EVENTS, [...columns, position]);
    await client.query('COMMIT');
    return outcomes;
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
