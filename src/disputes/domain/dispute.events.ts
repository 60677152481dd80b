import { ApproverRole } from './authority';
import {
  Category,
  Channel,
  CompensationBasis,
  DAY_MS,
  Forum,
  NegotiationAction,
  OutcomeResult,
  Party,
  Priority,
  Remedy,
} from './dispute.types';
import { BreachKind } from '../../sla/domain/breach-kinds';
import { BreachProof } from '../../sla/domain/breach-proof';
import { Money } from '../../shared/money';
import { BREACH_REMEDY_EVENT_SCHEMA_VERSION, BreachRemedyEvent } from './breach-remedy.events';
import { ContactChannel, ContactDirection, EvidenceKind } from './case-file.types';

/**
 * Dispute events (the permanent record). The state they build is in dispute.state.ts, `evolve` in dispute.evolve.ts.
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
export type DisputeAssigned = Event<
  'DisputeAssigned',
  {
    agentId: string;
    department: string;
    previousAgentId: string | null;
    /** Schema 2 (issue 15): why the case was (re)assigned, when given; absent in schema 1 events. */
    reason?: string | null;
  }
>;
export type DisputeNegotiated = Event<
  'DisputeNegotiated',
  { action: NegotiationAction; party: Party; remedy: Remedy | null; amount: Money | null; note: string | null }
>;
export type DisputeEscalated = Event<'DisputeEscalated', { forum: Forum; institution: string; reason: string }>;
type OutcomeData = { forum: Forum; institution: string; result: OutcomeResult; amount: Money | null; terms: string | null };
export type DisputeMediated = Event<'DisputeMediated', OutcomeData>;
export type DisputeArbitrated = Event<'DisputeArbitrated', OutcomeData>;
export type DisputeLitigated = Event<'DisputeLitigated', OutcomeData>;
/**
 * Schema versions (stored in `metadata.schemaVersion`; events are permanent, these meanings never change):
 * - 1: the fields without a schema note below. A schema-1 proposal with basis `sla_breach` is a breach remedy of
 *   the old kind, read as an entitlement (`legacyRemedy`, the schema-1 upcaster).
 * - 2: was introduced twice, in parallel, for two different additive changes (issue 14: `breachId`; issue 15:
 *   `authorityPolicyVersion`), each bumping 1 to 2 on its own branch. So a schema-2 event may carry either
 *   field, both or neither: each optional field is read by its presence, never inferred from the version, and
 *   its absence keeps the schema-1 meaning (no linked breach; the built-in authority limits). Events already
 *   written as schema 2 by either change read correctly under this meaning; a further change takes schema 3.
 */
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
    /** Schema 2 (issue 14): the confirmed SLA breach whose material loss this compensates. Absent before. */
    breachId?: string;
    /** Schema 2 (issue 15): the authority policy version the required approver was judged under; absent: the built-in limits. */
    authorityPolicyVersion?: number;
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
export type DisputeCompensated = Event<'DisputeCompensated', { customerId: string; compensationIds: string[]; totalPaid: Money }>;
export type DisputeRejected = Event<'DisputeRejected', { reason: string; escalationDeadline: string }>;
export type DisputeWithdrawn = Event<'DisputeWithdrawn', { reason: string }>;
export type DisputeClosed = Event<'DisputeClosed', { resolution: string; reopenDeadline: string }>;
export type DisputeReopened = Event<'DisputeReopened', { reason: string }>;
export type FeedbackReceived = Event<'FeedbackReceived', { score: number; comment: string | null }>;

export type { BreachProof } from '../../sla/domain/breach-proof';
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
    /** Schema 2 (issue 14): the supervisors' investigation deadline, 3 working days after detection. Absent before. */
    investigationDueAt?: string | null;
  }
>;
export type SlaBreachConfirmed = Event<'SlaBreachConfirmed', { breachId: string; reason: string; confirmedBy: string; delayMs: number }>;
export type SlaBreachExempted = Event<'SlaBreachExempted', { breachId: string; reason: string; exemptedBy: string; wasConfirmed: boolean }>;

// --- The agent's case workspace (issue 15): notes, customer contacts, evidence, internal escalation. ---
// Types of their fields live in case-file.types.ts; PERSONAL_DATA_FIELDS below names the personal ones.
export type NoteAdded = Event<'NoteAdded', { noteId: string; text: string; author: string }>;
export type CustomerContactRecorded = Event<
  'CustomerContactRecorded',
  {
    contactId: string;
    channel: ContactChannel;
    direction: ContactDirection;
    /** When the contact happened (`at` is when it was recorded). */
    contactedAt: string;
    summary: string;
    promises: string | null;
    recordedBy: string;
  }
>;
export type EvidenceAttached = Event<
  'EvidenceAttached',
  {
    evidenceId: string;
    kind: EvidenceKind;
    fileName: string;
    contentType: string;
    size: number;
    /** SHA-256 of the content (hex): the blob's address, so the hash chain covers the file's bytes. */
    sha256: string;
    description: string | null;
    attachedBy: string;
  }
>;
export type DisputeEscalatedInternally = Event<'DisputeEscalatedInternally', { escalationId: string; reason: string; escalatedBy: string }>;
export type InternalEscalationAnswered = Event<
  'InternalEscalationAnswered',
  { escalationId: string; outcome: 'taken' | 'returned'; guidance: string | null; answeredBy: string }
>;
export type CaseFileEvent =
  NoteAdded | CustomerContactRecorded | EvidenceAttached | DisputeEscalatedInternally | InternalEscalationAnswered;

/**
 * The personal data in the workspace's events (the customer's words and what identifies them), by event type:
 * what an erasure must mask. Kept in one list so the erasure rules can find every such field.
 */
export const PERSONAL_DATA_FIELDS: {
  readonly [T in CaseFileEvent['type']]: readonly (keyof Extract<CaseFileEvent, { type: T }>['data'])[];
} = {
  NoteAdded: ['text'],
  CustomerContactRecorded: ['summary', 'promises'],
  EvidenceAttached: ['fileName', 'description'],
  DisputeEscalatedInternally: ['reason'],
  InternalEscalationAnswered: ['guidance'],
};

/** Labels added to the case (only those it did not have). */
export type DisputeTagged = Event<'DisputeTagged', { tags: string[]; taggedBy: string }>;

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
  | SlaBreachExempted
  // issue 14: breach remedies as entitlements, investigation deadlines
  | BreachRemedyEvent
  | CaseFileEvent
  | DisputeTagged;

export type DisputeEventType = DisputeEvent['type'];

/** Schema version of each event type as written today; bump with an upcaster, never silently. */
export const DISPUTE_EVENT_SCHEMA_VERSION: Record<DisputeEventType, number> = {
  DisputeFiled: 2,
  DisputeAcknowledged: 1,
  DisputeAssigned: 2,
  DisputeNegotiated: 1,
  DisputeEscalated: 1,
  DisputeMediated: 1,
  DisputeArbitrated: 1,
  DisputeLitigated: 1,
  CompensationProposed: 2,
  CompensationApproved: 1,
  CompensationDeclined: 1,
  CompensationPaid: 1,
  DisputeCompensated: 1,
  DisputeRejected: 1,
  DisputeWithdrawn: 1,
  DisputeClosed: 1,
  DisputeReopened: 1,
  FeedbackReceived: 1,
  SlaBreached: 2,
  SlaBreachConfirmed: 1,
  SlaBreachExempted: 1,
  ...BREACH_REMEDY_EVENT_SCHEMA_VERSION,
  NoteAdded: 1,
  CustomerContactRecorded: 1,
  EvidenceAttached: 1,
  DisputeEscalatedInternally: 1,
  InternalEscalationAnswered: 1,
  DisputeTagged: 1,
};

export const REOPEN_WINDOW_DAYS = 15;
export const ESCALATION_AFTER_REJECTION_DAYS = 15;
export const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY_MS).toISOString();
