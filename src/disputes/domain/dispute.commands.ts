import type { FileDispute, FileDisputeRequest } from '../commands/file-dispute/file-dispute.command';
import type { AcknowledgeDispute, AcknowledgeDisputeRequest } from '../commands/acknowledge/acknowledge.command';
import type { AssignDispute, AssignDisputeRequest } from '../commands/assign/assign.command';
import type { NegotiateDispute, NegotiateDisputeRequest } from '../commands/negotiate/negotiate.command';
import type { EscalateDispute, EscalateDisputeRequest } from '../commands/escalate/escalate.command';
import type { RecordOutcome, RecordOutcomeRequest } from '../commands/record-outcome/record-outcome.command';
import type { ProposeCompensation, ProposeCompensationRequest } from '../commands/propose-compensation/propose-compensation.command';
import type { ApproveCompensation, ApproveCompensationRequest } from '../commands/approve-compensation/approve-compensation.command';
import type { DeclineCompensation, DeclineCompensationRequest } from '../commands/decline-compensation/decline-compensation.command';
import type { PayCompensation, PayCompensationRequest } from '../commands/pay-compensation/pay-compensation.command';
import type { RejectDispute, RejectDisputeRequest } from '../commands/reject/reject.command';
import type { WithdrawDispute, WithdrawDisputeRequest } from '../commands/withdraw/withdraw.command';
import type { CloseDispute, CloseDisputeRequest } from '../commands/close/close.command';
import type { ReopenDispute, ReopenDisputeRequest } from '../commands/reopen/reopen.command';
import type { RecordFeedback, RecordFeedbackRequest } from '../commands/record-feedback/record-feedback.command';
import type { RecordSlaBreach, RecordSlaBreachRequest } from '../commands/record-sla-breach/record-sla-breach.command';
import type { ConfirmSlaBreach, ConfirmSlaBreachRequest } from '../commands/confirm-sla-breach/confirm-sla-breach.command';
import type { ExemptSlaBreach, ExemptSlaBreachRequest } from '../commands/exempt-sla-breach/exempt-sla-breach.command';
import type { SendApology, SendApologyRequest } from '../commands/send-apology/send-apology.command';
import type { DeliverBreachRemedy, DeliverBreachRemedyRequest } from '../commands/deliver-breach-remedy/deliver-breach-remedy.command';
import type {
  RecordInvestigationOverdue,
  RecordInvestigationOverdueRequest,
} from '../commands/record-investigation-overdue/record-investigation-overdue.command';
import type { AddNote, AddNoteRequest } from '../commands/add-note/add-note.command';
import type { RecordContact, RecordContactRequest } from '../commands/record-contact/record-contact.command';
import type { AttachEvidence, AttachEvidenceRequest } from '../commands/attach-evidence/attach-evidence.command';
import type { EscalateInternally, EscalateInternallyRequest } from '../commands/escalate-internally/escalate-internally.command';
import type {
  AnswerInternalEscalation,
  AnswerInternalEscalationRequest,
} from '../commands/answer-internal-escalation/answer-internal-escalation.command';
import { Role } from '../../shared/actor';

export type { Command, CommandContext } from './command';

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
  // issue 14: breach remedies and investigations
  | SendApology
  | DeliverBreachRemedy
  | RecordInvestigationOverdue
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
  // issue 14
  SendApology: SendApologyRequest;
  DeliverBreachRemedy: DeliverBreachRemedyRequest;
  RecordInvestigationOverdue: RecordInvestigationOverdueRequest;
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
  ApproveCompensation: { action: 'approve_compensation', roles: ['senior_agent', 'supervisor', 'manager'] },
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
  // issue 14
  SendApology: { action: 'send_apology', roles: ['agent', 'supervisor'] },
  DeliverBreachRemedy: { action: 'deliver_remedy', roles: ['agent', 'supervisor'] },
  RecordInvestigationOverdue: { action: 'report_investigation_overdue', roles: ['system'] },
  // The agent's case workspace (issue 15): offered in the view's `workspaceActions`.
  AddNote: { action: 'add_note', roles: ['agent', 'supervisor', 'manager'] },
  RecordContact: { action: 'record_contact', roles: ['agent', 'supervisor', 'manager'] },
  AttachEvidence: { action: 'attach_evidence', roles: ['agent', 'supervisor', 'manager'] },
  EscalateInternally: { action: 'escalate_internally', roles: ['agent'] },
  AnswerInternalEscalation: { action: 'answer_internal_escalation', roles: ['supervisor', 'manager'] },
};
