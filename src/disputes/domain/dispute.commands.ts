import { BreachProof } from './dispute.events';
import { Category, Channel, Forum, NegotiationAction, OutcomeResult, Party, Priority, Remedy } from './dispute.types';
import { BreachKind } from '../../sla/domain/breach-kinds';
import { Actor, Role } from '../../shared/actor';
import { Money } from '../../shared/money';

/** Every command carries who asks and when (the decider never reads a clock). */
export interface CommandContext {
  actor: Actor;
  /** ISO-8601 UTC: the moment the command is decided. */
  now: string;
}

type Command<T extends string, D> = { type: T; data: D; context: CommandContext };

export type FileDispute = Command<
  'FileDispute',
  {
    disputeId: string;
    customerId: string;
    orderId: string;
    productSku: string;
    channel: Channel;
    category: Category;
    description: string;
    purchasedAt: string;
    deliveredAt?: string;
    requestedRemedy: Remedy;
    amountClaimed?: Money;
    proofOfPurchase?: boolean;
    defectCode?: string;
    itemIntact?: boolean;
    priority?: Priority;
    /** Looked up by the application: earlier disputes on the same order line with the same defect code. */
    earlierSameDefectDisputes: number;
    /** The SLA policy version in force now, and the peak-window extension if filed inside one. */
    slaPolicyVersion?: number;
    peakExtensionPercent?: number;
  }
>;
export type AcknowledgeDispute = Command<
  'AcknowledgeDispute',
  { message: string; complex?: boolean; estimatedResolutionAt?: string; plan?: string; respondedAt?: string }
>;
export type AssignDispute = Command<'AssignDispute', { agentId: string; department: string }>;
export type NegotiateDispute = Command<
  'NegotiateDispute',
  {
    action: NegotiationAction;
    party: Party;
    remedy?: Remedy;
    amount?: Money;
    note?: string;
    /** Used when an accepted offer becomes an agreed compensation. */
    compensationId: string;
    recentCompensatedDisputes: number;
  }
>;
export type EscalateDispute = Command<'EscalateDispute', { forum: Forum; institution: string; reason: string }>;
export type RecordOutcome = Command<
  'RecordOutcome',
  {
    forum: Forum;
    result: OutcomeResult;
    amount?: Money;
    terms?: string;
    /** Used when a settlement, award or judgment becomes an agreed compensation. */
    compensationId: string;
    recentCompensatedDisputes: number;
  }
>;
export type ProposeCompensation = Command<
  'ProposeCompensation',
  {
    compensationId: string;
    type: Remedy;
    amount?: Money;
    reason: string;
    /** Looked up by the application: this customer's compensated disputes in the abuse window. */
    recentCompensatedDisputes: number;
  }
>;
export type ApproveCompensation = Command<'ApproveCompensation', { compensationId: string; note?: string }>;
export type DeclineCompensation = Command<'DeclineCompensation', { compensationId: string; reason: string }>;
export type PayCompensation = Command<
  'PayCompensation',
  {
    compensationId: string;
    paymentReference?: string;
    /** The payment provider's receipt, obtained by the application before deciding (null for non-money remedies). */
    payout: { payoutId: string } | null;
  }
>;
export type RejectDispute = Command<'RejectDispute', { reason: string }>;
export type WithdrawDispute = Command<'WithdrawDispute', { reason: string }>;
export type CloseDispute = Command<'CloseDispute', { resolution: string }>;
export type ReopenDispute = Command<'ReopenDispute', { reason: string }>;
export type RecordFeedback = Command<'RecordFeedback', { score: number; comment?: string }>;

export type RecordSlaBreach = Command<
  'RecordSlaBreach',
  { breachId: string; kind: BreachKind; clockKey: string; dueAt: string; source: 'automatic' | 'complaint'; proof: BreachProof | null; note?: string }
>;
export type ConfirmSlaBreach = Command<'ConfirmSlaBreach', { breachId: string; reason: string }>;
export type ExemptSlaBreach = Command<'ExemptSlaBreach', { breachId: string; reason: string }>;

export type DisputeCommand =
  | FileDispute
  | AcknowledgeDispute
  | AssignDispute
  | NegotiateDispute
  | EscalateDispute
  | RecordOutcome
  | ProposeCompensation
  | ApproveCompensation
  | DeclineCompensation
  | PayCompensation
  | RejectDispute
  | WithdrawDispute
  | CloseDispute
  | ReopenDispute
  | RecordFeedback
  | RecordSlaBreach
  | ConfirmSlaBreach
  | ExemptSlaBreach;

export type DisputeCommandType = DisputeCommand['type'];

/** The name each command has in `allowedActions` (the UI's buttons) and the roles that may send it (API.md). */
export const ACTIONS: Record<DisputeCommandType, { action: string; roles: readonly Role[] }> = {
  FileDispute: { action: 'file', roles: ['agent', 'supervisor'] },
  AcknowledgeDispute: { action: 'acknowledge', roles: ['agent', 'supervisor'] },
  AssignDispute: { action: 'assign', roles: ['agent', 'supervisor'] },
  NegotiateDispute: { action: 'negotiate', roles: ['agent', 'supervisor'] },
  EscalateDispute: { action: 'escalate', roles: ['agent', 'supervisor'] },
  RecordOutcome: { action: 'record_outcome', roles: ['agent', 'supervisor'] },
  ProposeCompensation: { action: 'propose_compensation', roles: ['agent', 'supervisor', 'manager'] },
  ApproveCompensation: { action: 'approve_compensation', roles: ['supervisor', 'manager'] },
  DeclineCompensation: { action: 'decline_compensation', roles: ['supervisor', 'manager'] },
  PayCompensation: { action: 'pay_compensation', roles: ['agent', 'supervisor', 'manager'] },
  RejectDispute: { action: 'reject', roles: ['supervisor'] },
  WithdrawDispute: { action: 'withdraw', roles: ['agent', 'supervisor'] },
  CloseDispute: { action: 'close', roles: ['agent', 'supervisor'] },
  ReopenDispute: { action: 'reopen', roles: ['agent', 'supervisor'] },
  RecordFeedback: { action: 'feedback', roles: ['agent', 'supervisor'] },
  RecordSlaBreach: { action: 'report_breach', roles: ['system', 'supervisor'] },
  ConfirmSlaBreach: { action: 'confirm_breach', roles: ['supervisor'] },
  ExemptSlaBreach: { action: 'exempt_breach', roles: ['supervisor'] },
};
