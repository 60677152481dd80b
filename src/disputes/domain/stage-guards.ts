import { covers } from './authority';
import { ACTIONS, COMMAND_SLICES, DisputeCommandType, Guard, SelfGuardedType } from './dispute.commands';
import { conflict, DomainError, forbidden } from '../../shared/errors';
import { DisputeState, disputeStatus, highestForum, isUnpaid, pendingForum } from './dispute.state';
import { Actor } from '../../shared/actor';
import { CASE_FILE_GUARDS } from './case-file';

/**
 * Whether the dispute's stage allows each command now: `decide` refuses with the guard's error and
 * `allowedActions` offers the commands whose guard passes, so the UI's buttons and the rules cannot disagree.
 */
export type { Guard } from './dispute.commands';

export const TARGETED_COMMANDS = new Set<DisputeCommandType>([
  'ApproveCompensation',
  'DeclineCompensation',
  'PayCompensation',
  'ConfirmSlaBreach',
  'ExemptSlaBreach',
  'RecordSlaBreach',
  // issue 14
  'SendApology',
  'DeliverBreachRemedy',
  'RecordInvestigationOverdue',
]);

const isAwaitingPayment = (s: DisputeState) => disputeStatus(s) === 'awaiting_payment';
const notWhile = (s: DisputeState, what: string): DomainError =>
  conflict(`a ${disputeStatus(s).replace('_', ' ')} dispute cannot be ${what}`);

const GUARDS: Record<Exclude<DisputeCommandType, 'FileDispute' | SelfGuardedType>, Guard> = {
  AcknowledgeDispute: (s) => {
    if (s.base !== 'open') return notWhile(s, 'acknowledged');
    if (s.firstResponse.respondedAt !== null) return conflict('the dispute was already acknowledged');
    return null;
  },
  AssignDispute: (s, { actor }) => {
    if (s.base === 'closed' || s.base === 'withdrawn') return notWhile(s, 'assigned');
    if (!covers(actor, 'supervisor') && s.assignee !== null) return forbidden('an agent may only assign an unassigned dispute to itself');
    return null;
  },
  NegotiateDispute: (s) => {
    if (s.base !== 'open' || isAwaitingPayment(s)) return notWhile(s, 'negotiated');
    if (s.forums.length > 0) return conflict(`negotiation is over: the dispute went to ${highestForum(s)}`);
    if (s.firstResponse.respondedAt === null) return conflict('acknowledge the dispute before negotiating');
    return null;
  },
  EscalateDispute: (s, { now }) => {
    if (s.base === 'rejected') {
      const deadline = s.rejection!.escalationDeadline;
      return Date.parse(now) <= Date.parse(deadline) ? null : conflict(`the escalation window after rejection ended at ${deadline}`);
    }
    // Issue 14: only what the customer agreed to (an accepted offer, a forum's outcome) holds escalation while
    // unpaid; a compensation the merchant granted on its own never stops the customer from escalating.
    if (s.base !== 'open' || s.compensations.some((c) => isUnpaid(c) && c.basis !== 'proposal')) return notWhile(s, 'escalated');
    if (highestForum(s) === 'litigation') return conflict('litigation is the last rung of the escalation ladder');
    return null;
  },
  RecordOutcome: (s) => (pendingForum(s) === null ? conflict('no mediation, arbitration or litigation is pending') : null),
  ProposeCompensation: (s) => (s.base === 'open' || s.base === 'compensated' ? null : notWhile(s, 'compensated')),
  ApproveCompensation: (s, { actor }) => {
    const pending = s.compensations.filter((c) => c.status === 'pending_approval');
    if (pending.length === 0) return conflict('no compensation awaits approval');
    if (!pending.some((c) => covers(actor, c.requiredApprover))) return forbidden('the pending compensations exceed your approval limit');
    return null;
  },
  DeclineCompensation: (s) =>
    s.compensations.some((c) => c.status === 'pending_approval') ? null : conflict('no compensation awaits approval'),
  PayCompensation: (s) =>
    s.compensations.some((c) => c.status === 'approved') ? null : conflict('no approved compensation awaits payment'),
  RejectDispute: (s) => {
    if (s.base !== 'open' || isAwaitingPayment(s)) return notWhile(s, 'rejected');
    if (s.forums.length > 0) return conflict(`the dispute is already before ${highestForum(s)}: it can no longer be rejected`);
    return null;
  },
  WithdrawDispute: (s) => (s.base !== 'open' || isAwaitingPayment(s) ? notWhile(s, 'withdrawn') : null),
  CloseDispute: (s) => {
    if (s.base === 'compensated' || s.base === 'rejected') return null;
    if (s.base !== 'open') return notWhile(s, 'closed');
    const forum = pendingForum(s);
    if (forum) return conflict(`the ${forum.forum} at ${forum.institution} has not ended`);
    if (isAwaitingPayment(s)) return conflict('an agreed compensation is not paid yet');
    return null;
  },
  ReopenDispute: (s, { now }) => {
    if (s.base !== 'closed') return notWhile(s, 'reopened');
    const deadline = s.closure!.reopenDeadline;
    return Date.parse(now) <= Date.parse(deadline) ? null : conflict(`the reopening window ended at ${deadline}`);
  },
  RecordFeedback: (s) => {
    if (s.base !== 'closed' && s.base !== 'compensated') return conflict('feedback follows a closed or compensated dispute');
    if (s.feedback !== null) return conflict('feedback was already recorded');
    return null;
  },
  // Offered to supervisors on open disputes: a breach reported from a customer complaint.
  RecordSlaBreach: (s) => (s.base === 'open' ? null : notWhile(s, 'reported as breached')),
  ConfirmSlaBreach: (s) => (s.breaches.some((b) => b.status === 'detected') ? null : conflict('no breach awaits investigation')),
  ExemptSlaBreach: (s) => (s.breaches.some((b) => b.status !== 'exempted') ? null : conflict('no breach to exempt')),
  // issue 14: offered while a remedy awaits delivery, whatever the stage (remedies never block one)
  SendApology: (s) => (openRemedies(s, true).length > 0 ? null : conflict('no apology awaits sending')),
  DeliverBreachRemedy: (s) => (openRemedies(s, false).length > 0 ? null : conflict('no coupon or upgrade awaits delivery')),
  RecordInvestigationOverdue: (s) =>
    s.breaches.some((b) => b.status === 'detected' && !b.investigationOverdueAt) ? null : conflict('no investigation is running'),
  // The agent's case workspace (issue 15).
  ...CASE_FILE_GUARDS,
};

/** The slices that bring their guard (COMMAND_SLICES) join the table: every command but filing has one. */
const SLICE_GUARDS = Object.fromEntries(COMMAND_SLICES.flatMap((s) => ('guard' in s && s.guard ? [[s.type, s.guard]] : []))) as Record<
  SelfGuardedType,
  Guard
>;

export const STAGE_GUARDS: Record<Exclude<DisputeCommandType, 'FileDispute'>, Guard> = { ...GUARDS, ...SLICE_GUARDS };

const openRemedies = (s: DisputeState, apology: boolean) =>
  (s.remedies ?? []).filter((r) => r.status === 'issued' && (r.type === 'apology') === apology);

export const hasRole = (type: DisputeCommandType, actor: Actor) => ACTIONS[type].roles.some((role) => actor.roles.includes(role));

export function assertRole(type: DisputeCommandType, actor: Actor): void {
  if (!hasRole(type, actor)) throw forbidden(`${ACTIONS[type].action} needs one of the roles ${ACTIONS[type].roles.join(', ')}`);
}
