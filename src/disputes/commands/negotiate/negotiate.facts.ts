import { LookUpFacts } from '../../application/command-facts';
import { authorityInForce, compensationIdFor, recentCompensatedDisputes } from '../propose-compensation/customer-history.facts';

/** An accepted offer becomes a compensation: its id, and the customer's history for abuse control. */
export const negotiateFacts: LookUpFacts<'NegotiateDispute'> = async (request, { commandId, loaded, context }, sources) => ({
  ...request,
  compensationId: compensationIdFor(commandId, request.compensationId),
  recentCompensatedDisputes: await recentCompensatedDisputes(loaded.state, context.now, sources),
  authority: await authorityInForce(sources),
});
