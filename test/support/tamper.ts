import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { computeEventHash } from '../../src/event-store/domain/hash-chain';
import { EventMetadata, NewEvent } from '../../src/shared/event-sourcing/event-store.port';
import { SqliteEventStore } from '../../src/event-store/sqlite-event-store';
import { Checkpointer } from '../../src/audit-trail/checkpointer';
import { SqliteCheckpointStore } from '../../src/audit-trail/checkpoint-store';
import { loadSigningKey } from '../../src/audit-trail/signing-key';
import { EventRow } from '../../src/event-store/sqlite-event-store';

/**
 * An attacker with write access to events.db who knows the hash rules: rows are rewritten, every stream's
 * chain recomputed from scratch and positions renumbered, so the per-stream chains verify again.
 */
/** A row of the embedded log's events table, as the store writes it. */
export type Row = EventRow;

export function readRows(file: string): Row[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT * FROM events ORDER BY position').all() as Row[];
  } finally {
    db.close();
  }
}

/** Replaces the log with `transform(rows)`; with `rehash`, revisions, chains and positions are made consistent again. */
export function rewriteLog(file: string, transform: (rows: Row[]) => Row[], options: { rehash?: boolean } = {}): void {
  const db = new Database(file);
  try {
    const rows = transform(db.prepare('SELECT * FROM events ORDER BY position').all() as Row[]);
    if (options.rehash !== false) rehashAll(rows);
    db.transaction(() => {
      db.prepare('DELETE FROM events').run();
      const insert = db.prepare(
        'INSERT INTO events (position, event_id, stream_id, revision, type, occurred_at, data, metadata, prev_hash, hash) VALUES (@position, @event_id, @stream_id, @revision, @type, @occurred_at, @data, @metadata, @prev_hash, @hash)',
      );
      rows.forEach((row, i) => insert.run({ ...row, position: options.rehash === false ? row.position : i + 1 }));
    })();
  } finally {
    db.close();
  }
}

/** Renumbers each stream's revisions in list order and recomputes every prevHash and hash. */
export function rehashAll(rows: Row[]): void {
  const tails = new Map<string, { revision: number; hash: string | null }>();
  for (const row of rows) {
    const tail = tails.get(row.stream_id) ?? { revision: -1, hash: null };
    row.revision = tail.revision + 1;
    row.prev_hash = tail.hash;
    row.hash = computeEventHash({
      streamId: row.stream_id,
      revision: row.revision,
      eventId: row.event_id,
      type: row.type,
      occurredAt: row.occurred_at,
      data: JSON.parse(row.data) as Record<string, unknown>,
      metadata: JSON.parse(row.metadata) as EventMetadata,
      prevHash: row.prev_hash,
    });
    tails.set(row.stream_id, { revision: row.revision, hash: row.hash });
  }
}

export const newEvent = (type: string, data: Record<string, unknown>): NewEvent => ({
  type,
  data,
  metadata: {
    actorId: 'agent-1',
    actorRoles: ['agent'],
    commandId: randomUUID(),
    correlationId: randomUUID(),
    causationId: null,
    policyVersion: null,
    schemaVersion: 1,
  },
});

/**
 * A DATA_DIR with `streams` streams of 1..6 events interleaved, a signing key file, and a signed checkpoint over
 * all of it (plus `after` events appended after the checkpoint).
 */
export async function checkpointedLog(options: { streams?: number; after?: number } = {}): Promise<{ dataDir: string; file: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-tamper-'));
  const file = join(dataDir, 'events.db');
  const store = new SqliteEventStore(file);
  const streams = options.streams ?? 5;
  for (let round = 0; round < 6; round++) {
    for (let s = 0; s < streams; s++) {
      if (round > s % 6 && round > 0) continue; // stream s gets (s % 6) + 1 events
      await store.append(
        `dispute-s${s}`,
        [newEvent(round === 0 ? 'DisputeFiled' : 'NoteAdded', { stream: s, round, text: `note ${round}` })],
        'any',
      );
    }
  }
  const checkpoints = new SqliteCheckpointStore(file);
  const key = loadSigningKey({ signingKey: null, dataDir });
  await new Checkpointer(store, checkpoints, key).checkpoint();
  for (let i = 0; i < (options.after ?? 0); i++) await store.append('dispute-s0', [newEvent('NoteAdded', { after: i })], 'any');
  await checkpoints.close();
  await store.close();
  return { dataDir, file };
}

/** A copy of a DATA_DIR's events.db and key in a new directory. */
export function copyDataDir(dataDir: string): { dataDir: string; file: string } {
  const copy = mkdtempSync(join(tmpdir(), 'casetrail-tamper-copy-'));
  copyFileSync(join(dataDir, 'events.db'), join(copy, 'events.db'));
  copyFileSync(join(dataDir, 'audit-signing-key.pem'), join(copy, 'audit-signing-key.pem'));
  return { dataDir: copy, file: join(copy, 'events.db') };
}
