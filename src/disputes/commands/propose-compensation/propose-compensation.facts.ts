import { LookUpFacts } from '../../application/command-facts';
import { authorityInForce, compensationIdFor, recentCompensatedDisputes } from './customer-history.facts';

export const proposeCompensationFacts: LookUpFacts<'ProposeCompensation'> = async (request, { commandId, loaded, context }, sources) => ({
  ...request,
  compensationId: compensationIdFor(commandId, request.compensationId),
  recentCompensatedDisputes: await recentCompensatedDisputes(loaded.state, context.now, sources),
  authority: await authorityInForce(sources),
});
