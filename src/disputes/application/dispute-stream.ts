import { StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { DisputeEvent, DisputeStateOrNone, evolve } from '../domain/dispute.events';

export const disputeStreamId = (disputeId: string) => `dispute-${disputeId}`;

export const toDomainEvent = (stored: StoredEvent): DisputeEvent => ({ type: stored.type, data: stored.data } as DisputeEvent);

/** Folds stored events; `untilRevision` (inclusive) rebuilds an earlier state. */
export function foldStored(events: readonly StoredEvent[], untilRevision = Number.POSITIVE_INFINITY): DisputeStateOrNone {
  let state: DisputeStateOrNone = null;
  for (const event of events) {
    if (event.revision > untilRevision) break;
    state = evolve(state, toDomainEvent(event));
  }
  return state;
}
