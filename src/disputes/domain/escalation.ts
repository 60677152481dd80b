import { DisputeEvent } from './dispute.events';
import { DisputeState, highestForum, pendingForum } from './dispute.state';
import { FORUMS, Forum, OutcomeResult } from './dispute.types';
import { conflict, invalid } from '../../shared/errors';
import { compensationEvents } from './compensation';
import type { EscalateDispute } from '../commands/escalate/escalate.command';
import type { RecordOutcome } from '../commands/record-outcome/record-outcome.command';
import { assertEvidenceFor } from './case-file';

/** The escalation ladder: mediation, arbitration, litigation, only upwards; each forum's outcome. */

export function escalate(state: DisputeState, command: EscalateDispute): DisputeEvent[] {
  const { now: at } = command.context;
  const disputeId = state.id;
  const d = command.data;
  const highest = highestForum(state);
  if (highest !== null && FORUMS.indexOf(d.forum) <= FORUMS.indexOf(highest)) {
    throw conflict(`escalation only goes up the ladder: the dispute already reached ${highest}`);
  }
  if (d.evidencePolicy) assertEvidenceFor(state, d.forum, d.evidencePolicy);
  return [{ type: 'DisputeEscalated', data: { disputeId, at, forum: d.forum, institution: d.institution, reason: d.reason } }];
}

const RESULTS: Record<Forum, readonly OutcomeResult[]> = {
  mediation: ['settled', 'failed'],
  arbitration: ['award'],
  litigation: ['judgment', 'dismissed'],
};
const OUTCOME_EVENT = { mediation: 'DisputeMediated', arbitration: 'DisputeArbitrated', litigation: 'DisputeLitigated' } as const;

export function recordOutcome(state: DisputeState, command: RecordOutcome): DisputeEvent[] {
  const { forum, result, amount, terms } = command.data;
  const at = command.context.now;
  const pending = pendingForum(state)!;
  if (pending.forum !== forum) throw conflict(`the case is before ${pending.forum}, not ${forum}`);
  if (!RESULTS[forum].includes(result))
    throw invalid(`a ${forum} ends with ${RESULTS[forum].join(' or ')}, not ${result}`, { field: 'result' });
  const needsAmount = result === 'award' || result === 'judgment';
  const forbidsAmount = result === 'failed' || result === 'dismissed';
  if (needsAmount && amount === undefined) throw invalid(`a ${result} needs an amount (0 for none)`, { field: 'amount' });
  if (forbidsAmount && amount !== undefined) throw invalid(`a ${result} outcome has no amount`, { field: 'amount' });
  if (result === 'judgment' && amount!.amount <= 0) throw invalid('a judgment for 0 is recorded as dismissed', { field: 'amount' });
  const outcome = {
    type: OUTCOME_EVENT[forum],
    data: { disputeId: state.id, at, forum, institution: pending.institution, result, amount: amount ?? null, terms: terms ?? null },
  } as DisputeEvent;
  if (!amount || amount.amount === 0) return [outcome];
  return [
    outcome,
    ...compensationEvents(state, command.context, {
      compensationId: command.data.compensationId,
      type: 'compensation',
      amount,
      reason: `${result} by ${pending.institution}${terms ? `: ${terms}` : ''}`,
      basis: forum,
      recentCompensatedDisputes: command.data.recentCompensatedDisputes,
      authority: command.data.authority,
    }),
  ];
}
