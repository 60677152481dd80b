import { StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { Pseudonymizer, PseudonymKind } from '../../privacy/pseudonym';

/** Keys whose values are personal identifiers, replaced by their pseudonym wherever they appear in event data. */
const PSEUDONYMISED: Record<string, PseudonymKind> = { customerId: 'customer', orderId: 'order' };

/**
 * Free text a customer (or an agent quoting one) may have written: names, phone numbers, addresses. The export
 * drops it (an analyst gets the categories and codes instead); the case bundle of one dispute keeps it for auditors.
 */
export const FREE_TEXT_KEYS = new Set(['description', 'comment', 'note', 'message', 'reason', 'terms', 'resolution', 'plan']);
export const REDACTED = '[redacted]';

/** A deep copy of event data with identifiers pseudonymised and free text redacted (unknown event types too). */
export function pseudonymiseData(value: unknown, pseudonyms: Pseudonymizer): unknown {
  if (Array.isArray(value)) return value.map((v) => pseudonymiseData(v, pseudonyms));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const kind = PSEUDONYMISED[key];
    if (kind !== undefined && typeof v === 'string') out[key] = pseudonyms.of(kind, v);
    else if (FREE_TEXT_KEYS.has(key) && typeof v === 'string') out[key] = REDACTED;
    else out[key] = pseudonymiseData(v, pseudonyms);
  }
  return out;
}

/** The event log row of an export: position, ids, type, times, actor, and the pseudonymised data as JSON text. */
export function eventExportRow(event: StoredEvent, pseudonyms: Pseudonymizer) {
  return {
    position: event.position,
    event_id: event.eventId,
    stream_id: event.streamId,
    revision: event.revision,
    type: event.type,
    occurred_at: event.occurredAt,
    schema_version: Number(event.metadata.schemaVersion ?? 1),
    actor_id: String(event.metadata.actorId ?? ''),
    actor_roles: (event.metadata.actorRoles ?? []).join(' '),
    correlation_id: String(event.metadata.correlationId ?? ''),
    data: JSON.stringify(pseudonymiseData(event.data, pseudonyms)),
  };
}
