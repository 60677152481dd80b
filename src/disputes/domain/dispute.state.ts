import { ApproverRole } from './authority';
import {
  Category,
  Channel,
  CompensationBasis,
  CompensationStatus,
  Forum,
  FORUMS,
  NegotiationAction,
  OutcomeResult,
  Party,
  Priority,
  Remedy,
  Stage,
  Status,
} from './dispute.types';
import { BreachKind, BreachStatus } from '../../sla/domain/breach-kinds';
import { Money } from '../../shared/money';
import { BreachRemedyState } from './breach-remedy.state';
import { ContactChannel, ContactDirection, EvidenceKind } from './case-file.types';

/** The state dispute events build (see dispute.evolve.ts), and what can be read off it. */

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
  /** Issue 14: the investigation deadline (schema 2 breaches) and when it was missed. */
  investigationDueAt?: string | null;
  investigationOverdueAt?: string | null;
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

// --- The agent's case workspace (issue 15) ---
export interface Note {
  noteId: string;
  text: string;
  author: string;
  at: string;
}
export interface Contact {
  contactId: string;
  channel: ContactChannel;
  direction: ContactDirection;
  contactedAt: string;
  summary: string;
  promises: string | null;
  recordedBy: string;
  at: string;
}
export interface Evidence {
  evidenceId: string;
  kind: EvidenceKind;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  description: string | null;
  attachedBy: string;
  at: string;
}
export interface InternalEscalation {
  escalationId: string;
  reason: string;
  escalatedBy: string;
  at: string;
  outcome: 'taken' | 'returned' | null;
  guidance: string | null;
  answeredBy: string | null;
  answeredAt: string | null;
}
export interface CaseFile {
  notes: Note[];
  contacts: Contact[];
  evidence: Evidence[];
  internalEscalations: InternalEscalation[];
  /** Why the case was last (re)assigned, when a reason was given. */
  assignmentReason: string | null;
}
/** The workspace of a dispute folded before issue 15 (a read-model row's stored state lacks it). */
export const caseFileOf = (state: DisputeState): CaseFile => state.caseFile ?? emptyCaseFile();
export const emptyCaseFile = (): CaseFile => ({ notes: [], contacts: [], evidence: [], internalEscalations: [], assignmentReason: null });
/** The internal escalation still waiting for a supervisor's answer, if any. */
export const openInternalEscalation = (state: DisputeState): InternalEscalation | null =>
  caseFileOf(state).internalEscalations.find((e) => e.outcome === null) ?? null;

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
  /** Issue 14: remedies a confirmed breach issued to the customer (absent in rows written before). */
  remedies?: BreachRemedyState[];
  /** Notes, contacts, evidence, internal escalations (issue 15); absent in states stored before it. */
  caseFile?: CaseFile;
  /** Labels (TagDispute), in the order they were added; absent in states stored before them. */
  tags?: string[];
}

export type DisputeStateOrNone = DisputeState | null;

export const STAGE_RANK: Record<Stage, number> = {
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
export const advance = (current: Stage, next: Stage): Stage => (STAGE_RANK[next] > STAGE_RANK[current] ? next : current);

export function disputeStatus(state: DisputeState): Status {
  if (state.base === 'open' && state.compensations.some(isUnpaid)) return 'awaiting_payment';
  return state.base;
}

export const isUnpaid = (c: Compensation) => c.status === 'pending_approval' || c.status === 'approved';

/** The forum currently holding the case (escalated, outcome not yet recorded), if any. */
export const pendingForum = (state: DisputeState): ForumHold | null => state.forums.find((hold) => hold.result === null) ?? null;

export const initialState = (): DisputeStateOrNone => null;

export function highestForum(state: DisputeState): Forum | null {
  let best: Forum | null = null;
  for (const hold of state.forums) if (best === null || FORUMS.indexOf(hold.forum) > FORUMS.indexOf(best)) best = hold.forum;
  return best;
}
