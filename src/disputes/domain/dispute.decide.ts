import { covers, formatMinor, requiredApprover, ABUSE_THRESHOLD } from './authority';
import {
  ACTIONS,
  CommandContext,
  DisputeCommand,
  DisputeCommandType,
  FileDispute,
  NegotiateDispute,
  PayCompensation,
  RecordOutcome,
} from './dispute.commands';
import { conflict, DomainError, forbidden, invalid, notFound } from '../../shared/errors';
import {
  addDays,
  Breach,
  Compensation,
  DisputeEvent,
  DisputeState,
  DisputeStateOrNone,
  disputeStatus,
  ESCALATION_AFTER_REJECTION_DAYS,
  isUnpaid,
  pendingForum,
  REOPEN_WINDOW_DAYS,
} from './dispute.events';
import { CompensationBasis, FORUMS, Forum, MONEY_REMEDIES, OutcomeResult, Remedy } from './dispute.types';
import { Actor } from '../../shared/actor';
import { Money } from '../../shared/money';
import { assessRemedy } from './eligibility';
import { assertCanWrite, assertMayAssignTo, canWrite } from './ownership';
import { suggestedRemedy } from './playbook';

/**
 * decide(command, state) → events, or throws a DomainError. Pure: no clock, no I/O.
 * The same stage guards answer `allowedActions`, so the UI's buttons and the rules cannot disagree.
 */
export function decide(command: DisputeCommand, state: DisputeStateOrNone): DisputeEvent[] {
  assertRole(command.type, command.context.actor);
  if (command.type === 'FileDispute') {
    if (state !== null) throw conflict(`dispute ${state.id} already exists`);
    return fileDispute(command);
  }
  if (state === null) throw notFound('dispute not found');
  assertCanWrite(command.context.actor, state);
  // Commands on one compensation or breach check that one itself (404 when unknown) instead of the generic guard.
  const refusal = TARGETED_COMMANDS.has(command.type) ? null : STAGE_GUARDS[command.type](state, command.context);
  if (refusal) throw refusal;

  const { now: at, actor } = command.context;
  const disputeId = state.id;
  switch (command.type) {
    case 'AcknowledgeDispute': {
      const d = command.data;
      const respondedAt = d.respondedAt ?? at;
      if (Date.parse(respondedAt) < Date.parse(state.firstResponse.startedAt)) {
        throw invalid('respondedAt is before the dispute was filed (or reopened)', { field: 'respondedAt' });
      }
      if (Date.parse(respondedAt) > Date.parse(at)) throw invalid('respondedAt is in the future', { field: 'respondedAt' });
      const complex = d.complex === true;
      if (complex && (!d.estimatedResolutionAt || !d.plan)) {
        throw invalid('a complex acknowledgement must tell the customer the expected resolution time and the process', {
          fields: ['estimatedResolutionAt', 'plan'].filter((f) => !d[f as 'plan' | 'estimatedResolutionAt']),
        });
      }
      if (complex && Date.parse(d.estimatedResolutionAt!) <= Date.parse(respondedAt)) {
        throw invalid('estimatedResolutionAt must be after the response', { field: 'estimatedResolutionAt' });
      }
      return [
        {
          type: 'DisputeAcknowledged',
          data: {
            disputeId,
            at,
            message: d.message,
            complex,
            estimatedResolutionAt: complex ? d.estimatedResolutionAt! : null,
            plan: complex ? d.plan! : null,
            respondedAt: new Date(respondedAt).toISOString(),
          },
        },
      ];
    }
    case 'AssignDispute': {
      const d = command.data;
      if (!covers(actor, 'supervisor') && d.agentId !== actor.id) {
        throw forbidden('an agent may only assign an unassigned dispute to itself');
      }
      assertMayAssignTo(actor, d.department);
      return [{ type: 'DisputeAssigned', data: { disputeId, at, agentId: d.agentId, department: d.department, previousAgentId: state.assignee } }];
    }
    case 'NegotiateDispute':
      return negotiate(state, command);
    case 'EscalateDispute': {
      const d = command.data;
      const highest = highestForum(state);
      if (highest !== null && FORUMS.indexOf(d.forum) <= FORUMS.indexOf(highest)) {
        throw conflict(`escalation only goes up the ladder: the dispute already reached ${highest}`);
      }
      return [{ type: 'DisputeEscalated', data: { disputeId, at, forum: d.forum, institution: d.institution, reason: d.reason } }];
    }
    case 'RecordOutcome':
      return recordOutcome(state, command);
    case 'ProposeCompensation': {
      const d = command.data;
      return compensationEvents(state, command.context, {
        compensationId: d.compensationId,
        type: d.type,
        amount: d.amount,
        reason: d.reason,
        basis: 'proposal',
        recentCompensatedDisputes: d.recentCompensatedDisputes,
      });
    }
    case 'ApproveCompensation': {
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
    case 'DeclineCompensation': {
      const c = pendingCompensation(state, command.data.compensationId);
      return [{ type: 'CompensationDeclined', data: { disputeId, at, compensationId: c.compensationId, declinedBy: actor.id, reason: command.data.reason } }];
    }
    case 'PayCompensation':
      return pay(state, command);
    case 'RejectDispute':
      return [
        {
          type: 'DisputeRejected',
          data: { disputeId, at, reason: command.data.reason, escalationDeadline: addDays(at, ESCALATION_AFTER_REJECTION_DAYS) },
        },
      ];
    case 'WithdrawDispute':
      return [{ type: 'DisputeWithdrawn', data: { disputeId, at, reason: command.data.reason } }];
    case 'CloseDispute':
      return [
        { type: 'DisputeClosed', data: { disputeId, at, resolution: command.data.resolution, reopenDeadline: addDays(at, REOPEN_WINDOW_DAYS) } },
      ];
    case 'ReopenDispute':
      return [{ type: 'DisputeReopened', data: { disputeId, at, reason: command.data.reason } }];
    case 'RecordSlaBreach': {
      const d = command.data;
      if (state.breaches.some((b) => b.clockKey === d.clockKey)) throw conflict(`the ${d.clockKey} clock already has a breach`);
      if (state.breaches.some((b) => b.breachId === d.breachId)) throw conflict(`breach ${d.breachId} exists`);
      return [
        {
          type: 'SlaBreached',
          data: {
            disputeId,
            at,
            breachId: d.breachId,
            kind: d.kind,
            clockKey: d.clockKey,
            dueAt: d.dueAt,
            detectedAt: at,
            source: d.source,
            assignee: state.assignee,
            department: state.department,
            proof: d.proof,
            note: d.note ?? null,
          },
        },
      ];
    }
    case 'ConfirmSlaBreach': {
      const breach = findBreach(state, command.data.breachId);
      if (breach.status !== 'detected') throw conflict(`breach ${breach.breachId} is already ${breach.status}`);
      const delayMs = breachDelayMs(state, breach.dueAt, at);
      return [
        { type: 'SlaBreachConfirmed', data: { disputeId, at, breachId: breach.breachId, reason: command.data.reason, confirmedBy: actor.id, delayMs } },
        ...(breach.kind === 'first_response' ? breachRemedies(state, breach.breachId, delayMs, command.context) : []),
      ];
    }
    case 'ExemptSlaBreach': {
      const breach = findBreach(state, command.data.breachId);
      if (breach.status === 'exempted') throw conflict(`breach ${breach.breachId} is already exempted`);
      return [
        {
          type: 'SlaBreachExempted',
          data: { disputeId, at, breachId: breach.breachId, reason: command.data.reason, exemptedBy: actor.id, wasConfirmed: breach.status === 'confirmed' },
        },
      ];
    }
    case 'RecordFeedback': {
      const { score, comment } = command.data;
      if (!Number.isInteger(score) || score < 1 || score > 5) throw invalid('score must be an integer from 1 to 5', { field: 'score' });
      return [{ type: 'FeedbackReceived', data: { disputeId, at, score, comment: comment ?? null } }];
    }
  }
}

/** The write actions this actor may take on the dispute now (names as in ACTIONS). */
export function allowedActions(state: DisputeState, actor: Actor, now: string): string[] {
  if (!canWrite(actor, state)) return [];
  const context: CommandContext = { actor, now };
  // Only whether each guard refuses matters here: its refusal's stack trace would be most of the cost.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return (Object.keys(STAGE_GUARDS) as Exclude<DisputeCommandType, 'FileDispute'>[])
      .filter((type) => hasRole(type, actor) && STAGE_GUARDS[type](state, context) === null)
      .map((type) => ACTIONS[type].action);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
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

// ---------------------------------------------------------------------------------------------

type Guard = (state: DisputeState, context: CommandContext) => DomainError | null;

const TARGETED_COMMANDS = new Set<DisputeCommandType>([
  'ApproveCompensation',
  'DeclineCompensation',
  'PayCompensation',
  'ConfirmSlaBreach',
  'ExemptSlaBreach',
  'RecordSlaBreach',
]);

const isAwaitingPayment = (s: DisputeState) => disputeStatus(s) === 'awaiting_payment';
const notWhile = (s: DisputeState, what: string): DomainError => conflict(`a ${disputeStatus(s).replace('_', ' ')} dispute cannot be ${what}`);

const STAGE_GUARDS: Record<Exclude<DisputeCommandType, 'FileDispute'>, Guard> = {
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
    if (s.base !== 'open' || isAwaitingPayment(s)) return notWhile(s, 'escalated');
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
  DeclineCompensation: (s) => (s.compensations.some((c) => c.status === 'pending_approval') ? null : conflict('no compensation awaits approval')),
  PayCompensation: (s) => (s.compensations.some((c) => c.status === 'approved') ? null : conflict('no approved compensation awaits payment')),
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
};

const hasRole = (type: DisputeCommandType, actor: Actor) => ACTIONS[type].roles.some((role) => actor.roles.includes(role));

function assertRole(type: DisputeCommandType, actor: Actor): void {
  if (!hasRole(type, actor)) throw forbidden(`${ACTIONS[type].action} needs one of the roles ${ACTIONS[type].roles.join(', ')}`);
}

function fileDispute(command: FileDispute): DisputeEvent[] {
  const d = command.data;
  const at = command.context.now;
  if (Date.parse(d.purchasedAt) > Date.parse(at)) throw invalid('purchasedAt is in the future', { field: 'purchasedAt' });
  if (d.deliveredAt !== undefined) {
    if (Date.parse(d.deliveredAt) < Date.parse(d.purchasedAt)) throw invalid('deliveredAt is before purchasedAt', { field: 'deliveredAt' });
    if (Date.parse(d.deliveredAt) > Date.parse(at)) throw invalid('deliveredAt is in the future', { field: 'deliveredAt' });
  }
  const repeatDefect = d.defectCode !== undefined && d.earlierSameDefectDisputes > 0;
  return [
    {
      type: 'DisputeFiled',
      data: {
        disputeId: d.disputeId,
        at,
        customerId: d.customerId,
        orderId: d.orderId,
        productSku: d.productSku,
        channel: d.channel,
        category: d.category,
        description: d.description,
        purchasedAt: new Date(d.purchasedAt).toISOString(),
        deliveredAt: d.deliveredAt === undefined ? null : new Date(d.deliveredAt).toISOString(),
        requestedRemedy: d.requestedRemedy,
        amountClaimed: d.amountClaimed ?? null,
        proofOfPurchase: d.proofOfPurchase ?? false,
        defectCode: d.defectCode ?? null,
        itemIntact: d.itemIntact ?? null,
        priority: d.priority ?? 'normal',
        repeatDefect,
        suggestedRemedy: suggestedRemedy(d.category, repeatDefect),
        slaPolicyVersion: d.slaPolicyVersion ?? 1,
        peakExtensionPercent: d.peakExtensionPercent ?? 0,
        department: command.context.actor.department ?? null,
      },
    },
  ];
}

function negotiate(state: DisputeState, command: NegotiateDispute): DisputeEvent[] {
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
  const offerAmount = action === 'accept' || action === 'reject' ? open!.amount : amount ?? null;
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
    }),
  ];
}

const RESULTS: Record<Forum, readonly OutcomeResult[]> = {
  mediation: ['settled', 'failed'],
  arbitration: ['award'],
  litigation: ['judgment', 'dismissed'],
};
const OUTCOME_EVENT = { mediation: 'DisputeMediated', arbitration: 'DisputeArbitrated', litigation: 'DisputeLitigated' } as const;

function recordOutcome(state: DisputeState, command: RecordOutcome): DisputeEvent[] {
  const { forum, result, amount, terms } = command.data;
  const at = command.context.now;
  const pending = pendingForum(state)!;
  if (pending.forum !== forum) throw conflict(`the case is before ${pending.forum}, not ${forum}`);
  if (!RESULTS[forum].includes(result)) throw invalid(`a ${forum} ends with ${RESULTS[forum].join(' or ')}, not ${result}`, { field: 'result' });
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
    }),
  ];
}

interface CompensationRequest {
  compensationId: string;
  type: Remedy;
  amount?: Money;
  reason: string;
  basis: CompensationBasis;
  recentCompensatedDisputes: number;
}

/** Eligibility, authority and abuse control for any new compensation, whatever its origin. */
function compensationEvents(state: DisputeState, context: CommandContext, request: CompensationRequest): DisputeEvent[] {
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
  const required = requiredApprover(grantedOn(state) + (amount?.amount ?? 0), goodwill, !binding && customerFlagged);
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
    },
  };
  if (!covers(actor, required)) return [proposed];
  const note = binding ? `binding ${basis} decision` : null;
  return [proposed, { type: 'CompensationApproved', data: { disputeId: state.id, at, compensationId, approvedBy: actor.id, note, automatic: true } }];
}

/** Money this dispute has granted or is granting: every compensation not declined (paid ones included). */
export const grantedOn = (state: DisputeState) =>
  state.compensations.filter((c) => c.status !== 'declined').reduce((sum, c) => sum + (c.amount?.amount ?? 0), 0);

function pay(state: DisputeState, command: PayCompensation): DisputeEvent[] {
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

function findBreach(state: DisputeState, breachId: string): Breach {
  const breach = state.breaches.find((b) => b.breachId === breachId);
  if (!breach) throw notFound(`breach ${breachId} not found on dispute ${state.id}`);
  return breach;
}

/** How late the first response came (or still is): decides the customer's remedy. */
function breachDelayMs(state: DisputeState, dueAt: string, now: string): number {
  const responded = state.firstResponse.respondedAt;
  const end = responded !== null && Date.parse(state.firstResponse.startedAt) <= Date.parse(dueAt) ? responded : now;
  return Math.max(0, Date.parse(end) - Date.parse(dueAt));
}

export const BREACH_REMEDY_THRESHOLD_MS = 2 * 60 * 60 * 1000;

/**
 * DOMAIN.md: a confirmed first-response breach brings an apology, always; a 10% coupon for a delay up to
 * 2 hours; the coupon and a 3-month free service upgrade beyond. Policy-mandated, so approved at once.
 */
function breachRemedies(state: DisputeState, breachId: string, delayMs: number, context: CommandContext): DisputeEvent[] {
  const remedies: { suffix: string; type: Remedy; reason: string }[] = [
    { suffix: 'apology', type: 'apology', reason: 'apology for the late first response' },
    { suffix: 'coupon', type: 'coupon', reason: '10% discount coupon for the next purchase' },
  ];
  if (delayMs > BREACH_REMEDY_THRESHOLD_MS) remedies.push({ suffix: 'upgrade', type: 'service_upgrade', reason: '3-month free service upgrade' });
  const { actor, now: at } = context;
  return remedies.flatMap(({ suffix, type, reason }) => {
    const compensationId = `${breachId}-${suffix}`;
    return [
      {
        type: 'CompensationProposed',
        data: {
          disputeId: state.id,
          at,
          compensationId,
          type,
          amount: null,
          reason,
          basis: 'sla_breach',
          goodwill: false,
          eligibilityRule: `confirmed first-response breach, ${Math.round(delayMs / 60_000)} minutes late`,
          customerFlagged: false,
          requiredApprover: 'agent',
          proposedBy: actor.id,
        },
      },
      { type: 'CompensationApproved', data: { disputeId: state.id, at, compensationId, approvedBy: actor.id, note: 'policy-mandated breach remedy', automatic: true } },
    ] as DisputeEvent[];
  });
}

function findCompensation(state: DisputeState, compensationId: string): Compensation {
  const c = state.compensations.find((x) => x.compensationId === compensationId);
  if (!c) throw notFound(`compensation ${compensationId} not found on dispute ${state.id}`);
  return c;
}

function pendingCompensation(state: DisputeState, compensationId: string): Compensation {
  const c = findCompensation(state, compensationId);
  if (c.status !== 'pending_approval') throw conflict(`compensation ${compensationId} is ${c.status.replace('_', ' ')}, not pending approval`);
  return c;
}

function assertAmountFor(remedy: Remedy, amount: Money | undefined): void {
  if (MONEY_REMEDIES.includes(remedy) && (amount === undefined || amount.amount <= 0)) {
    throw invalid(`a ${remedy} needs an amount above 0`, { field: 'amount' });
  }
  if (amount !== undefined && (!Number.isInteger(amount.amount) || amount.amount < 0)) {
    throw invalid('amount must be a non-negative integer of minor units', { field: 'amount' });
  }
}

function highestForum(state: DisputeState): Forum | null {
  let best: Forum | null = null;
  for (const hold of state.forums) if (best === null || FORUMS.indexOf(hold.forum) > FORUMS.indexOf(best)) best = hold.forum;
  return best;
}

const describe = (c: Compensation) => (c.amount ? `${c.type} of ${formatMinor(c.amount.amount)} ${c.amount.currency}` : c.type);
