import {
  ApproverRole,
} from './authority';
import { Category, Channel, CompensationBasis, CompensationStatus, DAY_MS, Forum, NegotiationAction, OutcomeResult, Party, Priority, Remedy, Stage, Status } from './dispute.types';
import { BreachKind, BreachStatus } from '../../sla/domain/breach-kinds';
import { Money } from '../../shared/money';

/**
 * Dispute events (the permanent record), the state they build, and `evolve`.
 * Type names are a stored contract: never rename one; a new meaning gets a new type or schema version.
 */
type Event<T extends string, D> = { type: T; data: D & { disputeId: string; at: string } };

export type DisputeFiled = Event<
  'DisputeFiled',
  {
    customerId: string;
    orderId: string;
    productSku: string;
    channel: Channel;
    category: Category;
    description: string;
    purchasedAt: string;
    deliveredAt: string | null;
    requestedRemedy: Remedy;
    amountClaimed: Money | null;
    proofOfPurchase: boolean;
    defectCode: string | null;
    itemIntact: boolean | null;
    priority: Priority;
    /** Same order line and defect code filed before: a full refund is then always eligible. */
    repeatDefect: boolean;
    suggestedRemedy: string;
    /** SLA policy version in force at filing; the dispute keeps it (absent in the first events: version 1). */
    slaPolicyVersion?: number;
    /** Extension of the first-response target when filed inside an announced peak window (0–50). */
    peakExtensionPercent?: number;
    /**
     * Schema 2: the department the dispute was filed in (the filer's), whose pool it sits in until assigned.
     * Absent in schema 1 events: such a dispute has no department and sits in every department's pool.
     */
    department?: string | null;
  }
>;
export type DisputeAcknowledged = Event<
  'DisputeAcknowledged',
  {
    message: string;
    complex: boolean;
    estimatedResolutionAt: string | null;
    plan: string | null;
    /** When the response really happened (stops the first-response clock); `at` is when it was recorded. */
    respondedAt: string;
  }
>;
export type DisputeAssigned = Event<'DisputeAssigned', { agentId: string; department: string; previousAgentId: string | null }>;
export type DisputeNegotiated = Event<
  'DisputeNegotiated',
  { action: NegotiationAction; party: Party; remedy: Remedy | null; amount: Money | null; note: string | null }
>;
export type DisputeEscalated = Event<'DisputeEscalated', { forum: Forum; institution: string; reason: string }>;
type OutcomeData = { forum: Forum; institution: string; result: OutcomeResult; amount: Money | null; terms: string | null };
export type DisputeMediated = Event<'DisputeMediated', OutcomeData>;
export type DisputeArbitrated = Event<'DisputeArbitrated', OutcomeData>;
export type DisputeLitigated = Event<'DisputeLitigated', OutcomeData>;
export type CompensationProposed = Event<
  'CompensationProposed',
  {
    compensationId: string;
    type: Remedy;
    amount: Money | null;
    reason: string;
    basis: CompensationBasis;
    /** Outside every eligibility window: a goodwill gesture. */
    goodwill: boolean;
    eligibilityRule: string;
    customerFlagged: boolean;
    requiredApprover: ApproverRole;
    proposedBy: string;
  }
>;
export type CompensationApproved = Event<
  'CompensationApproved',
  { compensationId: string; approvedBy: string; note: string | null; automatic: boolean }
>;
export type CompensationDeclined = Event<'CompensationDeclined', { compensationId: string; declinedBy: string; reason: string }>;
export type CompensationPaid = Event<
  'CompensationPaid',
  { compensationId: string; amount: Money | null; payoutId: string | null; paymentReference: string | null }
>;
export type DisputeCompensated = Event<
  'DisputeCompensated',
  { customerId: string; compensationIds: string[]; totalPaid: Money }
>;
export type DisputeRejected = Event<'DisputeRejected', { reason: string; escalationDeadline: string }>;
export type DisputeWithdrawn = Event<'DisputeWithdrawn', { reason: string }>;
export type DisputeClosed = Event<'DisputeClosed', { resolution: string; reopenDeadline: string }>;
export type DisputeReopened = Event<'DisputeReopened', { reason: string }>;
export type FeedbackReceived = Event<'FeedbackReceived', { score: number; comment: string | null }>;

/** What anyone needs to re-derive a breach: the policy, the calendar and the events that drove the clock. */
export interface BreachProof {
  policyVersion: number;
  calendar: { timeZone: string; days: number[]; open: string; close: string; holidays: string[] };
  target: { target: string; clock: 'calendar' | 'business' };
  peakExtensionPercent: number;
  startedAt: string;
  startedByEventId: string | null;
  pausedByEventIds: string[];
  resumedByEventIds: string[];
  stoppedByEventId: string | null;
  compensationId: string | null;
}
export type SlaBreached = Event<
  'SlaBreached',
  {
    breachId: string;
    kind: BreachKind;
    /** One breach per clock: `first_response:<cycle>`, `resolution:<cycle>`, `payment:<compensationId>`. */
    clockKey: string;
    dueAt: string;
    detectedAt: string;
    source: 'automatic' | 'complaint';
    assignee: string | null;
    department: string | null;
    proof: BreachProof | null;
    note: string | null;
  }
>;
export type SlaBreachConfirmed = Event<'SlaBreachConfirmed', { breachId: string; reason: string; confirmedBy: string; delayMs: number }>;
export type SlaBreachExempted = Event<'SlaBreachExempted', { breachId: string; reason: string; exemptedBy: string; wasConfirmed: boolean }>;

export type DisputeEvent =
  | DisputeFiled
  | DisputeAcknowledged
  | DisputeAssigned
  | DisputeNegotiated
  | DisputeEscalated
  | DisputeMediated
  | DisputeArbitrated
  | DisputeLitigated
  | CompensationProposed
  | CompensationApproved
  | CompensationDeclined
  | CompensationPaid
  | DisputeCompensated
  | DisputeRejected
  | DisputeWithdrawn
  | DisputeClosed
  | DisputeReopened
  | FeedbackReceived
  | SlaBreached
  | SlaBreachConfirmed
  | SlaBreachExempted;

export type DisputeEventType = DisputeEvent['type'];

/** Schema version of each event type as written today; bump with an upcaster, never silently. */
export const DISPUTE_EVENT_SCHEMA_VERSION: Record<DisputeEventType, number> = {
  DisputeFiled: 2,
  DisputeAcknowledged: 1,
  DisputeAssigned: 1,
  DisputeNegotiated: 1,
  DisputeEscalated: 1,
  DisputeMediated: 1,
  DisputeArbitrated: 1,
  DisputeLitigated: 1,
  CompensationProposed: 1,
  CompensationApproved: 1,
  CompensationDeclined: 1,
  CompensationPaid: 1,
  DisputeCompensated: 1,
  DisputeRejected: 1,
  DisputeWithdrawn: 1,
  DisputeClosed: 1,
  DisputeReopened: 1,
  FeedbackReceived: 1,
  SlaBreached: 1,
  SlaBreachConfirmed: 1,
  SlaBreachExempted: 1,
};

export const REOPEN_WINDOW_DAYS = 15;
export const ESCALATION_AFTER_REJECTION_DAYS = 15;
export const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY_MS).toISOString();

export interface Offer {
  action: NegotiationAction;
  party: Party;
  remedy: Remedy | null;
  amount: Money | null;
  note: string | null;
  at: string;
}

export interface Compensation {
  compensationId: string;
  type: Remedy;
  amount: Money | null;
  reason: string;
  basis: CompensationBasis;
  goodwill: boolean;
  requiredApprover: ApproverRole;
  status: CompensationStatus;
  proposedAt: string;
  approvedAt: string | null;
  paidAt: string | null;
}

export interface ForumHold {
  forum: Forum;
  institution: string;
  from: string;
  to: string | null;
  result: OutcomeResult | null;
}

export interface Breach {
  breachId: string;
  kind: BreachKind;
  clockKey: string;
  dueAt: string;
  detectedAt: string;
  status: BreachStatus;
  source: 'automatic' | 'complaint';
  assignee: string | null;
  department: string | null;
}

export interface Filing {
  customerId: string;
  orderId: string;
  productSku: string;
  channel: Channel;
  category: Category;
  description: string;
  purchasedAt: string;
  deliveredAt: string | null;
  requestedRemedy: Remedy;
  amountClaimed: Money | null;
  proofOfPurchase: boolean;
  defectCode: string | null;
  itemIntact: boolean | null;
  repeatDefect: boolean;
}

/** `base` is the lifecycle status; `awaiting_payment` is derived from unpaid compensations (see disputeStatus). */
export type BaseStatus = Exclude<Status, 'awaiting_payment'>;

export interface DisputeState {
  id: string;
  /** Number of events in the stream: the ETag. */
  version: number;
  stage: Stage;
  base: BaseStatus;
  filing: Filing;
  priority: Priority;
  suggestedRemedy: string;
  assignee: string | null;
  department: string | null;
  filedAt: string;
  updatedAt: string;
  /** The running first-response clock; restarted by a reopening. */
  firstResponse: { startedAt: string; respondedAt: string | null; recordedAt: string | null };
  acknowledgement: { message: string; complex: boolean; estimatedResolutionAt: string | null; plan: string | null } | null;
  offers: Offer[];
  /** Index in `offers` of the offer or counter still waiting for the other party's answer. */
  openOfferIndex: number | null;
  forums: ForumHold[];
  compensations: Compensation[];
  rejection: { reason: string; at: string; escalationDeadline: string } | null;
  closure: { resolution: string; at: string; reopenDeadline: string } | null;
  withdrawal: { reason: string; at: string } | null;
  feedback: { score: number; comment: string | null; at: string } | null;
  reopenings: number;
  slaPolicyVersion: number;
  peakExtensionPercent: number;
  breaches: Breach[];
}

export type DisputeStateOrNone = DisputeState | null;

const STAGE_RANK: Record<Stage, number> = {
  filed: 0,
  acknowledged: 1,
  negotiation: 2,
  mediation: 3,
  arbitration: 4,
  litigation: 5,
  compensated: 6,
  closed: 7,
};
/** Stages only move forward within one cycle (a reopening starts a new cycle). */
const advance = (current: Stage, next: Stage): Stage => (STAGE_RANK[next] > STAGE_RANK[current] ? next : current);

export function disputeStatus(state: DisputeState): Status {
  if (state.base === 'open' && state.compensations.some(isUnpaid)) return 'awaiting_payment';
  return state.base;
}

export const isUnpaid = (c: Compensation) => c.status === 'pending_approval' || c.status === 'approved';

/** The forum currently holding the case (escalated, outcome not yet recorded), if any. */
export const pendingForum = (state: DisputeState): ForumHold | null =>
  state.forums.find((hold) => hold.result === null) ?? null;

export const initialState = (): DisputeStateOrNone => null;

export function evolve(state: DisputeStateOrNone, event: DisputeEvent): DisputeState {
  if (event.type === 'DisputeFiled') return filed(event);
  if (state === null) throw new Error(`${event.type} cannot start a dispute stream`);
  const s: DisputeState = { ...state, version: state.version + 1, updatedAt: event.data.at };
  switch (event.type) {
    case 'DisputeAcknowledged': {
      const d = event.data;
      return {
        ...s,
        stage: advance(s.stage, 'acknowledged'),
        firstResponse: { ...s.firstResponse, respondedAt: d.respondedAt, recordedAt: d.at },
        acknowledgement: { message: d.message, complex: d.complex, estimatedResolutionAt: d.estimatedResolutionAt, plan: d.plan },
      };
    }
    case 'DisputeAssigned':
      return { ...s, assignee: event.data.agentId, department: event.data.department };
    case 'DisputeNegotiated': {
      const d = event.data;
      const offers = [...s.offers, { action: d.action, party: d.party, remedy: d.remedy, amount: d.amount, note: d.note, at: d.at }];
      const opensOffer = d.action === 'offer' || d.action === 'counter';
      return { ...s, stage: advance(s.stage, 'negotiation'), offers, openOfferIndex: opensOffer ? offers.length - 1 : null };
    }
    case 'DisputeEscalated': {
      const d = event.data;
      // A higher forum supersedes a lower one still pending.
      const forums = s.forums.map((h) => (h.result === null ? { ...h, to: d.at, result: 'failed' as const } : h));
      return {
        ...s,
        base: 'open',
        stage: advance(s.stage, d.forum),
        openOfferIndex: null,
        forums: [...forums, { forum: d.forum, institution: d.institution, from: d.at, to: null, result: null }],
      };
    }
    case 'DisputeMediated':
    case 'DisputeArbitrated':
    case 'DisputeLitigated': {
      const d = event.data;
      const forums = s.forums.map((h) => (h.result === null && h.forum === d.forum ? { ...h, to: d.at, result: d.result } : h));
      return { ...s, forums };
    }
    case 'CompensationProposed': {
      const d = event.data;
      const compensation: Compensation = {
        compensationId: d.compensationId,
        type: d.type,
        amount: d.amount,
        reason: d.reason,
        basis: d.basis,
        goodwill: d.goodwill,
        requiredApprover: d.requiredApprover,
        status: 'pending_approval',
        proposedAt: d.at,
        approvedAt: null,
        paidAt: null,
      };
      // A new compensation after the case was compensated reopens the payment work, not the stage.
      return { ...s, base: s.base === 'compensated' ? 'open' : s.base, compensations: [...s.compensations, compensation] };
    }
    case 'CompensationApproved':
      return withCompensation(s, event.data.compensationId, (c) => ({ ...c, status: 'approved', approvedAt: event.data.at }));
    case 'CompensationDeclined':
      return withCompensation(s, event.data.compensationId, (c) => ({ ...c, status: 'declined' }));
    case 'CompensationPaid':
      return withCompensation(s, event.data.compensationId, (c) => ({ ...c, status: 'paid', paidAt: event.data.at }));
    case 'DisputeCompensated':
      return { ...s, stage: advance(s.stage, 'compensated'), base: 'compensated' };
    case 'DisputeRejected':
      return {
        ...s,
        base: 'rejected',
        openOfferIndex: null,
        rejection: { reason: event.data.reason, at: event.data.at, escalationDeadline: event.data.escalationDeadline },
      };
    case 'DisputeWithdrawn':
      return { ...s, base: 'withdrawn', withdrawal: { reason: event.data.reason, at: event.data.at } };
    case 'DisputeClosed':
      return {
        ...s,
        stage: 'closed',
        base: 'closed',
        closure: { resolution: event.data.resolution, at: event.data.at, reopenDeadline: event.data.reopenDeadline },
      };
    case 'DisputeReopened':
      // A new cycle: the first-response clock restarts; rungs of the escalation ladder already used stay used.
      return {
        ...s,
        stage: 'filed',
        base: 'open',
        firstResponse: { startedAt: event.data.at, respondedAt: null, recordedAt: null },
        acknowledgement: null,
        openOfferIndex: null,
        rejection: null,
        closure: null,
        feedback: null,
        reopenings: s.reopenings + 1,
      };
    case 'FeedbackReceived':
      return { ...s, feedback: { score: event.data.score, comment: event.data.comment, at: event.data.at } };
    case 'SlaBreached': {
      const d = event.data;
      const breach: Breach = {
        breachId: d.breachId,
        kind: d.kind,
        clockKey: d.clockKey,
        dueAt: d.dueAt,
        detectedAt: d.detectedAt,
        status: 'detected',
        source: d.source,
        assignee: d.assignee,
        department: d.department,
      };
      return { ...s, breaches: [...(s.breaches ?? []), breach] };
    }
    case 'SlaBreachConfirmed':
      return withBreach(s, event.data.breachId, 'confirmed');
    case 'SlaBreachExempted':
      return withBreach(s, event.data.breachId, 'exempted');
  }
}

function filed(event: DisputeFiled): DisputeState {
  const d = event.data;
  return {
    id: d.disputeId,
    version: 1,
    stage: 'filed',
    base: 'open',
    filing: {
      customerId: d.customerId,
      orderId: d.orderId,
      productSku: d.productSku,
      channel: d.channel,
      category: d.category,
      description: d.description,
      purchasedAt: d.purchasedAt,
      deliveredAt: d.deliveredAt,
      requestedRemedy: d.requestedRemedy,
      amountClaimed: d.amountClaimed,
      proofOfPurchase: d.proofOfPurchase,
      defectCode: d.defectCode,
      itemIntact: d.itemIntact,
      repeatDefect: d.repeatDefect,
    },
    priority: d.priority,
    suggestedRemedy: d.suggestedRemedy,
    assignee: null,
    department: d.department ?? null,
    filedAt: d.at,
    updatedAt: d.at,
    firstResponse: { startedAt: d.at, respondedAt: null, recordedAt: null },
    acknowledgement: null,
    offers: [],
    openOfferIndex: null,
    forums: [],
    compensations: [],
    rejection: null,
    closure: null,
    withdrawal: null,
    feedback: null,
    reopenings: 0,
    slaPolicyVersion: d.slaPolicyVersion ?? 1,
    peakExtensionPercent: d.peakExtensionPercent ?? 0,
    breaches: [],
  };
}

function withBreach(s: DisputeState, breachId: string, status: Breach['status']): DisputeState {
  return { ...s, breaches: s.breaches.map((b) => (b.breachId === breachId ? { ...b, status } : b)) };
}

function withCompensation(s: DisputeState, id: string, update: (c: Compensation) => Compensation): DisputeState {
  return { ...s, compensations: s.compensations.map((c) => (c.compensationId === id ? update(c) : c)) };
}

export function foldDispute(events: readonly DisputeEvent[]): DisputeStateOrNone {
  return events.reduce<DisputeStateOrNone>(evolve, initialState());
}
