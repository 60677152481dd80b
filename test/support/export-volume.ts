import Database from 'better-sqlite3';

/**
 * Fills a SQLite read store's audit_events with `rows` synthetic events (one dispute stream each ten), straight
 * through better-sqlite3 in one transaction: the volume for constant-memory export tests and the export bench.
 */
export function fillAuditEvents(file: string, rows: number): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    'INSERT INTO audit_events (position, event_id, stream_id, revision, type, actor_id, occurred_at, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  db.transaction(() => {
    for (let position = 1; position <= rows; position++) {
      const disputeId = `d-${Math.ceil(position / 10)}`;
      const occurredAt = new Date(start + position * 1000).toISOString();
      const event = {
        eventId: `e-${position}`,
        type: 'DisputeNegotiated',
        streamId: `dispute-${disputeId}`,
        revision: (position - 1) % 10,
        position,
        occurredAt,
        data: { disputeId, at: occurredAt, customerId: `cust-${position % 997}`, note: 'call me on 555-0100', action: 'offer' },
        metadata: { actorId: 'agent-1', actorRoles: ['agent'], commandId: `c-${position}`, correlationId: 'x', causationId: null },
        prevHash: null,
        hash: 'h',
      };
      insert.run(position, event.eventId, event.streamId, event.revision, event.type, 'agent-1', occurredAt, JSON.stringify(event));
    }
  })();
  db.close();
}
