import { DisputeEvent } from './dispute.events';
import { DisputeState } from './dispute.state';
import { conflict, invalid } from '../../shared/errors';
import { assertAmountFor, compensationEvents } from './compensation';
import type { NegotiateDispute } from '../commands/negotiate/negotiate.command';

/** Offers and counter-offers between merchant and customer; an accepted one becomes an agreed compensation. */
export function negotiate(state: DisputeState, command: NegotiateDispute): DisputeEvent[] {
  const { action, party, remedy, amount, note } = command.data;
  const at = command.context.now;
  const open = state.openOfferIndex === null ? null : state.offers[state.openOfferIndex];
  if (action === 'offer' || action === 'counter') {
    if (!remedy) throw invalid(`an ${action} needs a remedy`, { field: 'remedy' });
    assertAmountFor(remedy, amount);
  }
  if (action !== 'offer') {
    if (open === null) throw conflict(`there is no open offer to ${action}`);
    if (open.party === party) throw conflict(`the ${party} cannot ${action} its own offer`);
  }
  const offerRemedy = action === 'accept' || action === 'reject' ? open!.remedy : remedy!;
  const offerAmount = action === 'accept' || action === 'reject' ? open!.amount : (amount ?? null);
  const negotiated: DisputeEvent = {
    type: 'DisputeNegotiated',
    data: { disputeId: state.id, at, action, party, remedy: offerRemedy, amount: offerAmount, note: note ?? null },
  };
  if (action !== 'accept' || offerRemedy === null) return [negotiated];
  // An accepted offer is an agreed compensation, still bound by the authority of who records it.
  const withOffer = { ...state, openOfferIndex: null };
  return [
    negotiated,
    ...compensationEvents(withOffer, command.context, {
      compensationId: command.data.compensationId,
      type: offerRemedy,
      amount: offerAmount ?? undefined,
      reason: `accepted ${open!.party} offer${note ? `: ${note}` : ''}`,
      basis: 'negotiation',
      recentCompensatedDisputes: command.data.recentCompensatedDisputes,
      authority: command.data.authority,
    }),
  ];
}
