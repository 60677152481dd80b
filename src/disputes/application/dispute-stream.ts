import { StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { fold } from '../../shared/event-sourcing/handle-command';
import { disputeDecider } from '../domain/dispute.decide';
import { DisputeEvent } from '../domain/dispute.events';
import { DisputeStateOrNone } from '../domain/dispute.state';

export const disputeStreamId = (disputeId: string) => `dispute-${disputeId}`;

export const toDomainEvent = (stored: StoredEvent): DisputeEvent => ({ type: stored.type, data: stored.data }) as DisputeEvent;

/** Folds stored events; `untilRevision` (inclusive) rebuilds an earlier state. */
export function foldStored(events: readonly StoredEvent[], untilRevision = Number.POSITIVE_INFINITY): DisputeStateOrNone {
  return fold(disputeDecider, events, untilRevision);
}
