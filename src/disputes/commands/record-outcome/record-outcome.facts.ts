import { LookUpFacts } from '../../application/command-facts';
import { authorityInForce, compensationIdFor, recentCompensatedDisputes } from '../propose-compensation/customer-history.facts';

/** A settlement, award or judgment with an amount becomes a compensation: its id, and the customer's history. */
export const recordOutcomeFacts: LookUpFacts<'RecordOutcome'> = async (request, { commandId, loaded, context }, sources) => ({
  ...request,
  compensationId: compensationIdFor(commandId, request.compensationId),
  recentCompensatedDisputes: await recentCompensatedDisputes(loaded.state, context.now, sources),
  authority: await authorityInForce(sources),
});
