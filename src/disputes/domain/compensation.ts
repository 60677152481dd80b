import { AuthorityInForce, covers, formatMinor, requiredApprover, ABUSE_THRESHOLD } from './authority';
import { CommandContext } from './dispute.commands';
import { conflict, forbidden, invalid, notFound } from '../../shared/errors';
import { DisputeEvent } from './dispute.events';
import { Compensation, DisputeState, DisputeStateOrNone, isUnpaid } from './dispute.state';
import { CompensationBasis, MONEY_REMEDIES, Remedy } from './dispute.types';
import { Money } from '../../shared/money';
import { assessRemedy } from './eligibility';
import { assertCanWrite } from './ownership';
import { assertRole } from './stage-guards';
import type { ProposeCompensation } from '../commands/propose-compensation/propose-compensation.command';
import type { ApproveCompensation } from '../commands/approve-compensation/approve-compensation.command';
import type { DeclineCompensation } from '../commands/decline-compensation/decline-compensation.command';
import type { PayCompensation } from '../commands/pay-compensation/pay-compensation.command';

/**
 * Compensations and the authority to grant them: every new compensation, whatever its origin (a proposal, an
 * accepted offer, a forum's outcome), goes through `compensationEvents`: eligibility, the one authority rule
 * (authority.ts) and abuse control. Then approval, decline and payment.
 */

export function propose(state: DisputeState, command: ProposeCompensation): DisputeEvent[] {
  const d = command.data;
  if (d.breachId !== undefined) assertLossBreach(state, d.breachId); // issue 14
  return compensationEvents(state, command.context, {
    compensationId: d.compensationId,
    type: d.type,
    amount: d.amount,
    reason: d.reason,
    basis: 'proposal',
    recentCompensatedDisputes: d.recentCompensatedDisputes,
    breachId: d.breachId,
    authority: d.authority,
  });
}

export function approve(state: DisputeState, command: ApproveCompensation): DisputeEvent[] {
  const { now: at, actor } = command.context;
  const disputeId = state.id;
  const c = pendingCompensation(state, command.data.compensationId);
  if (!covers(actor, c.requiredApprover)) {
    throw forbidden(`approving ${describe(c)} needs a ${c.requiredApprover} or above`);
  }
  return [
    {
      type: 'CompensationApproved',
      data: { disputeId, at, compensationId: c.compensationId, approvedBy: actor.id, note: command.data.note ?? null, automatic: false },
    },
  ];
}

export function decline(state: DisputeState, command: DeclineCompensation): DisputeEvent[] {
  const { now: at, actor } = command.context;
  const disputeId = state.id;
  const c = pendingCompensation(state, command.data.compensationId);
  return [
    {
      type: 'CompensationDeclined',
      data: { disputeId, at, compensationId: c.compensationId, declinedBy: actor.id, reason: command.data.reason },
    },
  ];
}

export function pay(state: DisputeState, command: PayCompensation): DisputeEvent[] {
  const c = assertPayable(state, command);
  const at = command.context.now;
  if (needsPayout(c) && command.data.payout === null) throw new Error(`compensation ${c.compensationId} needs a payout receipt`);
  const paid: DisputeEvent = {
    type: 'CompensationPaid',
    data: {
      disputeId: state.id,
      at,
      compensationId: c.compensationId,
      amount: c.amount,
      payoutId: command.data.payout?.payoutId ?? null,
      paymentReference: command.data.paymentReference ?? null,
    },
  };
  const stillUnpaid = state.compensations.filter((x) => x.compensationId !== c.compensationId && isUnpaid(x));
  // A closed (or rejected, withdrawn) case stays so: a late remedy is paid without moving its stage.
  if (stillUnpaid.length > 0 || state.base !== 'open') return [paid];
  const settled = state.compensations.filter((x) => x.status === 'paid' || x.compensationId === c.compensationId);
  const total = settled.reduce((sum, x) => sum + (x.amount?.amount ?? 0), 0);
  return [
    paid,
    {
      type: 'DisputeCompensated',
      data: {
        disputeId: state.id,
        at,
        customerId: state.filing.customerId,
        compensationIds: settled.map((x) => x.compensationId),
        totalPaid: { amount: total, currency: 'CNY' },
      },
    },
  ];
}

/** Checks everything about a payment except the payout itself, so the application can ask the provider first. */
export function assertPayable(state: DisputeStateOrNone, command: PayCompensation): Compensation {
  assertRole(command.type, command.context.actor);
  if (state === null) throw notFound('dispute not found');
  assertCanWrite(command.context.actor, state);
  const c = findCompensation(state, command.data.compensationId);
  if (c.status === 'paid') throw conflict(`compensation ${c.compensationId} was already paid`);
  if (c.status === 'pending_approval') throw conflict(`compensation ${c.compensationId} awaits approval by a ${c.requiredApprover}`);
  if (c.status === 'declined') throw conflict(`compensation ${c.compensationId} was declined`);
  return c;
}

export const needsPayout = (c: Compensation) => MONEY_REMEDIES.includes(c.type) && c.amount !== null && c.amount.amount > 0;

export interface CompensationRequest {
  compensationId: string;
  type: Remedy;
  amount?: Money;
  reason: string;
  basis: CompensationBasis;
  recentCompensatedDisputes: number;
  /** Issue 14: the confirmed breach whose material loss this compensates. */
  breachId?: string;
  /** The authority policy in force (issue 15), looked up by the command's facts; absent: the built-in limits. */
  authority?: AuthorityInForce;
}

/** Eligibility, authority and abuse control for any new compensation, whatever its origin. */
export function compensationEvents(state: DisputeState, context: CommandContext, request: CompensationRequest): DisputeEvent[] {
  const { actor, now: at } = context;
  const { compensationId, type, amount, reason, basis } = request;
  if (state.compensations.some((c) => c.compensationId === compensationId)) throw conflict(`compensation ${compensationId} exists`);
  assertAmountFor(type, amount);
  // Awards and judgments bind the merchant to pay: no eligibility window or abuse rule applies. Who records
  // one, and for how much, is still the four-eyes rule's business: the same authority limit as any proposal.
  const binding = basis === 'arbitration' || basis === 'litigation';
  const eligibility = assessRemedy(state.filing, type, at);
  if (!binding && eligibility.outcome === 'refused') throw conflict(eligibility.rule);
  const goodwill = !binding && eligibility.outcome === 'goodwill';
  const customerFlagged = request.recentCompensatedDisputes >= ABUSE_THRESHOLD.disputes;
  const total = grantedOn(state) + (amount?.amount ?? 0);
  const required = requiredApprover(total, goodwill, !binding && customerFlagged, request.authority?.limits);
  const proposed: DisputeEvent = {
    type: 'CompensationProposed',
    data: {
      disputeId: state.id,
      at,
      compensationId,
      type,
      amount: amount ?? null,
      reason,
      basis,
      goodwill,
      eligibilityRule: eligibility.rule,
      customerFlagged,
      requiredApprover: required,
      proposedBy: actor.id,
      ...(request.breachId ? { breachId: request.breachId } : {}),
      ...(request.authority ? { authorityPolicyVersion: request.authority.version } : {}),
    },
  };
  if (!covers(actor, required)) return [proposed];
  const note = binding ? `binding ${basis} decision` : null;
  return [
    proposed,
    { type: 'CompensationApproved', data: { disputeId: state.id, at, compensationId, approvedBy: actor.id, note, automatic: true } },
  ];
}

/** Money this dispute has granted or is granting: every compensation not declined (paid ones included). */
export const grantedOn = (state: DisputeState) =>
  state.compensations.filter((c) => c.status !== 'declined').reduce((sum, c) => sum + (c.amount?.amount ?? 0), 0);

function findCompensation(state: DisputeState, compensationId: string): Compensation {
  const c = state.compensations.find((x) => x.compensationId === compensationId);
  if (!c) throw notFound(`compensation ${compensationId} not found on dispute ${state.id}`);
  return c;
}

function pendingCompensation(state: DisputeState, compensationId: string): Compensation {
  const c = findCompensation(state, compensationId);
  if (c.status !== 'pending_approval')
    throw conflict(`compensation ${compensationId} is ${c.status.replace('_', ' ')}, not pending approval`);
  return c;
}

export function assertAmountFor(remedy: Remedy, amount: Money | undefined): void {
  if (MONEY_REMEDIES.includes(remedy) && (amount === undefined || amount.amount <= 0)) {
    throw invalid(`a ${remedy} needs an amount above 0`, { field: 'amount' });
  }
  if (amount !== undefined && (!Number.isInteger(amount.amount) || amount.amount < 0)) {
    throw invalid('amount must be a non-negative integer of minor units', { field: 'amount' });
  }
}

/** Issue 14: a material loss is compensated for a confirmed breach only (an exempted one owes nothing). */
function assertLossBreach(state: DisputeState, breachId: string): void {
  const breach = state.breaches.find((b) => b.breachId === breachId);
  if (!breach) throw notFound(`breach ${breachId} not found on dispute ${state.id}`);
  if (breach.status !== 'confirmed') throw conflict(`breach ${breachId} is ${breach.status}: only a confirmed breach owes a material loss`);
}

const describe = (c: Compensation) => (c.amount ? `${c.type} of ${formatMinor(c.amount.amount)} ${c.amount.currency}` : c.type);
