import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openSqliteEventStore } from '../../src/event-store/sqlite-event-store';
import { PROJECTIONS } from '../../src/read-models/registry';

/**
 * Fills DATA_DIR with `rows` synthetic events (one dispute stream each ten): the embedded log (`events.db`), the
 * audit read model's index of them (`read.db`, migrated before: `sqliteReadStore(dataDir)`), and every
 * projection's checkpoint at the head, so a service started on it has nothing to catch up. Straight through
 * better-sqlite3 in one transaction each: the volume for constant-memory export tests.
 */
export async function fillExportVolume(dataDir: string, rows: number): Promise<void> {
  await openSqliteEventStore(dataDir, { writerThread: false }).close(); // creates the log's schema
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  const log = new Database(join(dataDir, 'events.db'));
  log.pragma('journal_mode = WAL');
  log.pragma('synchronous = OFF');
  const insertEvent = log.prepare(
    'INSERT INTO events (position, event_id, stream_id, revision, type, occurred_at, data, metadata, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  log.transaction(() => {
    for (let position = 1; position <= rows; position++) {
      const disputeId = `d-${Math.ceil(position / 10)}`;
      const occurredAt = new Date(start + position * 1000).toISOString();
      const data = { disputeId, at: occurredAt, customerId: `cust-${position % 997}`, note: 'call me on 555-0100', action: 'offer' };
      const metadata = { actorId: 'agent-1', actorRoles: ['agent'], commandId: `c-${position}`, correlationId: 'x', causationId: null };
      const revision = (position - 1) % 10;
      const stream = `dispute-${disputeId}`;
      insertEvent.run(
        position,
        `e-${position}`,
        stream,
        revision,
        'DisputeNegotiated',
        occurredAt,
        JSON.stringify(data),
        JSON.stringify(metadata),
        revision === 0 ? null : 'h',
        'h',
      );
    }
  })();
  log.close();

  const read = new Database(join(dataDir, 'read.db'));
  read.pragma('journal_mode = WAL');
  read.pragma('synchronous = OFF');
  const insertAudit = read.prepare(
    'INSERT INTO audit_events (position, event_id, stream_id, revision, type, actor_id, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const checkpoint = read.prepare(
    'INSERT INTO projection_checkpoints (name, position, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
  );
  read.transaction(() => {
    for (let position = 1; position <= rows; position++) {
      const disputeId = `d-${Math.ceil(position / 10)}`;
      const occurredAt = new Date(start + position * 1000).toISOString();
      insertAudit.run(position, `e-${position}`, `dispute-${disputeId}`, (position - 1) % 10, 'DisputeNegotiated', 'agent-1', occurredAt);
    }
    for (const projection of PROJECTIONS()) checkpoint.run(projection.name, rows, new Date().toISOString());
  })();
  read.close();
}
