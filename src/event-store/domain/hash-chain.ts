import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json';
import { StoredEvent } from '../../shared/event-sourcing/event-store.port';

/**
 * The tamper-evidence chain: each event's hash covers its own content and the previous event's hash.
 * The global position is left out on purpose: it is store-specific and changes when the log is copied
 * to another store (e.g. embedded → EventStoreDB), while the chain must survive the move.
 */
export type HashableEvent = Omit<StoredEvent, 'position' | 'hash'>;

export function computeEventHash(event: HashableEvent): string {
  const canonical = canonicalJson({
    streamId: event.streamId,
    revision: event.revision,
    eventId: event.eventId,
    type: event.type,
    occurredAt: event.occurredAt,
    data: event.data,
    metadata: event.metadata,
    prevHash: event.prevHash,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

export interface ChainVerification {
  valid: boolean;
  events: number;
  firstInvalidRevision?: number;
}

/** Verifies one stream's events, in revision order, against their stored hashes. */
export function verifyChain(events: readonly StoredEvent[]): ChainVerification {
  let prevHash: string | null = null;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    const intact = event.revision === i && event.prevHash === prevHash && computeEventHash(event) === event.hash;
    if (!intact) return { valid: false, events: events.length, firstInvalidRevision: event.revision };
    prevHash = event.hash;
  }
  return { valid: true, events: events.length };
}
