import { FileDispute, FileDisputeRequest } from '../commands/file-dispute/file-dispute.command';
import { AcknowledgeDispute, AcknowledgeDisputeRequest } from '../commands/acknowledge/acknowledge.command';
import { AssignDispute, AssignDisputeRequest } from '../commands/assign/assign.command';
import { NegotiateDispute, NegotiateDisputeRequest } from '../commands/negotiate/negotiate.command';
import { EscalateDispute, EscalateDisputeRequest } from '../commands/escalate/escalate.command';
import { RecordOutcome, RecordOutcomeRequest } from '../commands/record-outcome/record-outcome.command';
import { ProposeCompensation, ProposeCompensationRequest } from '../commands/propose-compensation/propose-compensation.command';
import { ApproveCompensation, ApproveCompensationRequest } from '../commands/approve-compensation/approve-compensation.command';
import { DeclineCompensation, DeclineCompensationRequest } from '../commands/decline-compensation/decline-compensation.command';
import { PayCompensation, PayCompensationRequest } from '../commands/pay-compensation/pay-compensation.command';
import { RejectDispute, RejectDisputeRequest } from '../commands/reject/reject.command';
import { WithdrawDispute, WithdrawDisputeRequest } from '../commands/withdraw/withdraw.command';
import { CloseDispute, CloseDisputeRequest } from '../commands/close/close.command';
import { ReopenDispute, ReopenDisputeRequest } from '../commands/reopen/reopen.command';
import { RecordFeedback, RecordFeedbackRequest } from '../commands/record-feedback/record-feedback.command';
import { RecordSlaBreach, RecordSlaBreachRequest } from '../commands/record-sla-breach/record-sla-breach.command';
import { ConfirmSlaBreach, ConfirmSlaBreachRequest } from '../commands/confirm-sla-breach/confirm-sla-breach.command';
import { ExemptSlaBreach, ExemptSlaBreachRequest } from '../commands/exempt-sla-breach/exempt-sla-breach.command';
import { AddNote, AddNoteRequest } from '../commands/add-note/add-note.command';
import { RecordContact, RecordContactRequest } from '../commands/record-contact/record-contact.command';
import { AttachEvidence, AttachEvidenceRequest } from '../commands/attach-evidence/attach-evidence.command';
import { EscalateInternally, EscalateInternallyRequest } from '../commands/escalate-internally/escalate-internally.command';
import {
  AnswerInternalEscalation,
  AnswerInternalEscalationRequest,
} from '../commands/answer-internal-escalation/answer-internal-escalation.command';
import { Actor, Role } from '../../shared/actor';

/** Every command carries who asks and when (the decider never reads a clock). */
export interface CommandContext {
  actor: Actor;
  /** ISO-8601 UTC: the moment the command is decided. */
  now: string;
}

export type Command<T extends string, D> = { type: T; data: D; context: CommandContext };

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
  | ExemptSlaBreach
  // The agent's case workspace (issue 15).
  | AddNote
  | RecordContact
  | AttachEvidence
  | EscalateInternally
  | AnswerInternalEscalation;

export type DisputeCommandType = DisputeCommand['type'];
export type CommandOf<T extends DisputeCommandType> = Extract<DisputeCommand, { type: T }>;

/** What callers send for each command (its data before the application adds looked-up facts). */
export interface DisputeRequests {
  FileDispute: FileDisputeRequest;
  AcknowledgeDispute: AcknowledgeDisputeRequest;
  AssignDispute: AssignDisputeRequest;
  NegotiateDispute: NegotiateDisputeRequest;
  EscalateDispute: EscalateDisputeRequest;
  RecordOutcome: RecordOutcomeRequest;
  ProposeCompensation: ProposeCompensationRequest;
  ApproveCompensation: ApproveCompensationRequest;
  DeclineCompensation: DeclineCompensationRequest;
  PayCompensation: PayCompensationRequest;
  RejectDispute: RejectDisputeRequest;
  WithdrawDispute: WithdrawDisputeRequest;
  CloseDispute: CloseDisputeRequest;
  ReopenDispute: ReopenDisputeRequest;
  RecordFeedback: RecordFeedbackRequest;
  RecordSlaBreach: RecordSlaBreachRequest;
  ConfirmSlaBreach: ConfirmSlaBreachRequest;
  ExemptSlaBreach: ExemptSlaBreachRequest;
  AddNote: AddNoteRequest;
  RecordContact: RecordContactRequest;
  AttachEvidence: AttachEvidenceRequest;
  EscalateInternally: EscalateInternallyRequest;
  AnswerInternalEscalation: AnswerInternalEscalationRequest;
}
export type RequestOf<T extends DisputeCommandType> = DisputeRequests[T];

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
  // The agent's case workspace (issue 15): offered in the view's `workspaceActions`.
  AddNote: { action: 'add_note', roles: ['agent', 'supervisor', 'manager'] },
  RecordContact: { action: 'record_contact', roles: ['agent', 'supervisor', 'manager'] },
  AttachEvidence: { action: 'attach_evidence', roles: ['agent', 'supervisor', 'manager'] },
  EscalateInternally: { action: 'escalate_internally', roles: ['agent'] },
  AnswerInternalEscalation: { action: 'answer_internal_escalation', roles: ['supervisor', 'manager'] },
};
