import { ABUSE_THRESHOLD, AuthorityInForce } from '../../domain/authority';
import { DisputeState } from '../../domain/dispute.state';
import { DAY_MS } from '../../domain/dispute.types';
import { FactSources } from '../../application/command-facts';
import { derivedId } from '../../../shared/ids';

/**
 * The customer's compensated disputes in the abuse window, for every command that may create a compensation
 * (propose, an accepted offer, a forum's outcome). Unknown history counts as flagged: the compensation then
 * waits for a supervisor rather than slipping through.
 */
export function recentCompensatedDisputes(state: DisputeState, now: string, sources: FactSources): Promise<number> {
  const since = new Date(Date.parse(now) - ABUSE_THRESHOLD.days * DAY_MS).toISOString();
  return sources.cautious('abuse-control lookup', ABUSE_THRESHOLD.disputes, () =>
    sources.facts.compensatedDisputesSince(state.filing.customerId, since),
  );
}

/** The id a compensation created by this command gets, unless the caller named one. */
export const compensationIdFor = (commandId: string, requested?: string) => requested ?? derivedId(commandId, 'compensation');

/** The authority policy in force (issue 15): the limits the required approver is judged by, and their version. */
export async function authorityInForce(sources: FactSources): Promise<AuthorityInForce> {
  const policy = await sources.authorityPolicy.current();
  return { version: policy.version, limits: policy.limits };
}
