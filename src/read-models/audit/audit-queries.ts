import { Kysely } from 'kysely';
import { EventStore, StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { ReadSchema } from '../read-schema';

export interface AuditFilter {
  actorId?: string;
  type?: string;
  from?: string;
  to?: string;
}

/**
 * Events across cases in global order, by actor, type and period; the cursor is the last position returned.
 * The read model gives the positions, the log the events (as the service's EVENT_STORE reads them).
 */
export async function auditTrail(db: Kysely<ReadSchema>, log: EventStore, filter: AuditFilter, limit: number, after = 0) {
  let query = db.selectFrom('audit_events').select('position').where('position', '>', after);
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  if (filter.type) query = query.where('type', '=', filter.type);
  if (filter.from) query = query.where('occurred_at', '>=', filter.from);
  if (filter.to) query = query.where('occurred_at', '<', filter.to);
  const rows = await query
    .orderBy('position', 'asc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  return {
    items: await eventsAt(
      log,
      page.map((r) => Number(r.position)),
    ),
    nextCursor: rows.length > limit ? String(page[page.length - 1].position) : null,
  };
}

/** The log's events at these positions, in position order; a position the log no longer answers is an error. */
export async function eventsAt(log: EventStore, positions: readonly number[]): Promise<StoredEvent[]> {
  if (positions.length === 0) return [];
  const events = await log.readPositions(positions);
  if (events.length !== positions.length) {
    const found = new Set(events.map((e) => e.position));
    const missing = positions.filter((p) => !found.has(p));
    throw new Error(`the audit index names positions the log does not hold: ${missing.slice(0, 5).join(', ')}`);
  }
  return events;
}
