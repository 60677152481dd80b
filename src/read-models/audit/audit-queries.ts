import { Kysely } from 'kysely';
import { StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { ReadSchema } from '../read-schema';

export interface AuditFilter {
  actorId?: string;
  type?: string;
  from?: string;
  to?: string;
}

/** Events across cases in global order, by actor, type and period; the cursor is the last position returned. */
export async function auditTrail(db: Kysely<ReadSchema>, filter: AuditFilter, limit: number, after = 0) {
  let query = db.selectFrom('audit_events').select(['position', 'event']).where('position', '>', after);
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
    items: page.map((r) => JSON.parse(r.event) as StoredEvent),
    nextCursor: rows.length > limit ? String(page[page.length - 1].position) : null,
  };
}
