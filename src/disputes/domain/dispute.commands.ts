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
import type { TagDispute, TagDisputeRequest } from '../commands/tag/tag.command';
import { tagGuard } from '../commands/tag/tag.decide';
import { Role } from '../../shared/actor';
import type { Command, CommandContext } from './command';
import type { DisputeState } from './dispute.state';
import type { DomainError } from '../../shared/errors';

export type { Command, CommandContext } from './command';

/** Whether the dispute's stage allows a command now (null: allowed; stage-guards.ts). */
export type Guard = (state: DisputeState, context: CommandContext) => DomainError | null;

/** One write use case, as the rest of the code sees it: its command type (and request), button and roles. */
export interface CommandSlice<C extends Command<string, unknown>, R> {
  type: C['type'];
  /** Its name in `allowedActions` / `workspaceActions` (the UI's buttons). */
  action: string;
  /** The roles that may send it (API.md); the decider and the route check the same list. */
  roles: readonly Role[];
  /** Its folder under src/disputes/commands/ when it has an HTTP route there (`<route>/<route>.route.ts`). */
  route?: string;
  /** The call a view offers for it (action-routes.ts), for slices added after the table there. */
  call?: { operationId: string; path: string };
  /** Offered in `workspaceActions` rather than `allowedActions`. */
  workspace?: boolean;
  /** When the stage allows it, for slices added after the table in stage-guards.ts. */
  guard?: Guard;
  /** Types only: the command and what callers send. */
  readonly __types?: { command: C; request: R };
}

/** Declares a slice with its command and request types (the types are checked, the object is plain data). */
const slice =
  <C extends Command<string, unknown>, R>() =>
  <const S extends CommandSlice<C, R>>(s: S): S & CommandSlice<C, R> =>
    s;

/**
 * Every dispute command, one entry each: the one list a new command is added to (with its `case` in `decide`).
 * The command union, the requests, the `ACTIONS` table and the routes the disputes module registers are all
 * derived from it, so nothing else needs a line per command.
 */
export const COMMAND_SLICES = [
  slice<FileDispute, FileDisputeRequest>()({ type: 'FileDispute', action: 'file', roles: ['agent', 'supervisor'], route: 'file-dispute' }),
  slice<AcknowledgeDispute, AcknowledgeDisputeRequest>()({
    type: 'AcknowledgeDispute',
    action: 'acknowledge',
    roles: ['agent', 'supervisor'],
    route: 'acknowledge',
  }),
  slice<AssignDispute, AssignDisputeRequest>()({
    type: 'AssignDispute',
    action: 'assign',
    roles: ['agent', 'supervisor'],
    route: 'assign',
  }),
  slice<NegotiateDispute, NegotiateDisputeRequest>()({
    type: 'NegotiateDispute',
    action: 'negotiate',
    roles: ['agent', 'supervisor'],
    route: 'negotiate',
  }),
  slice<EscalateDispute, EscalateDisputeRequest>()({
    type: 'EscalateDispute',
    action: 'escalate',
    roles: ['agent', 'supervisor'],
    route: 'escalate',
  }),
  slice<RecordOutcome, RecordOutcomeRequest>()({
    type: 'RecordOutcome',
    action: 'record_outcome',
    roles: ['agent', 'supervisor'],
    route: 'record-outcome',
  }),
  slice<ProposeCompensation, ProposeCompensationRequest>()({
    type: 'ProposeCompensation',
    action: 'propose_compensation',
    roles: ['agent', 'supervisor', 'manager'],
    route: 'propose-compensation',
  }),
  slice<ApproveCompensation, ApproveCompensationRequest>()({
    type: 'ApproveCompensation',
    action: 'approve_compensation',
    roles: ['senior_agent', 'supervisor', 'manager'],
    route: 'approve-compensation',
  }),
  slice<DeclineCompensation, DeclineCompensationRequest>()({
    type: 'DeclineCompensation',
    action: 'decline_compensation',
    roles: ['supervisor', 'manager'],
    route: 'decline-compensation',
  }),
  slice<PayCompensation, PayCompensationRequest>()({
    type: 'PayCompensation',
    action: 'pay_compensation',
    roles: ['agent', 'supervisor', 'manager'],
    route: 'pay-compensation',
  }),
  slice<RejectDispute, RejectDisputeRequest>()({ type: 'RejectDispute', action: 'reject', roles: ['supervisor'], route: 'reject' }),
  slice<WithdrawDispute, WithdrawDisputeRequest>()({
    type: 'WithdrawDispute',
    action: 'withdraw',
    roles: ['agent', 'supervisor'],
    route: 'withdraw',
  }),
  slice<CloseDispute, CloseDisputeRequest>()({ type: 'CloseDispute', action: 'close', roles: ['agent', 'supervisor'], route: 'close' }),
  slice<ReopenDispute, ReopenDisputeRequest>()({
    type: 'ReopenDispute',
    action: 'reopen',
    roles: ['agent', 'supervisor'],
    route: 'reopen',
  }),
  slice<RecordFeedback, RecordFeedbackRequest>()({
    type: 'RecordFeedback',
    action: 'feedback',
    roles: ['agent', 'supervisor'],
    route: 'record-feedback',
  }),
  slice<RecordSlaBreach, RecordSlaBreachRequest>()({ type: 'RecordSlaBreach', action: 'report_breach', roles: ['system', 'supervisor'] }),
  slice<ConfirmSlaBreach, ConfirmSlaBreachRequest>()({ type: 'ConfirmSlaBreach', action: 'confirm_breach', roles: ['supervisor'] }),
  slice<ExemptSlaBreach, ExemptSlaBreachRequest>()({ type: 'ExemptSlaBreach', action: 'exempt_breach', roles: ['supervisor'] }),
  slice<SendApology, SendApologyRequest>()({
    type: 'SendApology',
    action: 'send_apology',
    roles: ['agent', 'supervisor'],
    route: 'send-apology',
  }),
  slice<DeliverBreachRemedy, DeliverBreachRemedyRequest>()({
    type: 'DeliverBreachRemedy',
    action: 'deliver_remedy',
    roles: ['agent', 'supervisor'],
    route: 'deliver-breach-remedy',
  }),
  slice<RecordInvestigationOverdue, RecordInvestigationOverdueRequest>()({
    type: 'RecordInvestigationOverdue',
    action: 'report_investigation_overdue',
    roles: ['system'],
  }),
  slice<AddNote, AddNoteRequest>()({ type: 'AddNote', action: 'add_note', roles: ['agent', 'supervisor', 'manager'], route: 'add-note' }),
  slice<RecordContact, RecordContactRequest>()({
    type: 'RecordContact',
    action: 'record_contact',
    roles: ['agent', 'supervisor', 'manager'],
    route: 'record-contact',
  }),
  slice<AttachEvidence, AttachEvidenceRequest>()({
    type: 'AttachEvidence',
    action: 'attach_evidence',
    roles: ['agent', 'supervisor', 'manager'],
    route: 'attach-evidence',
  }),
  slice<EscalateInternally, EscalateInternallyRequest>()({
    type: 'EscalateInternally',
    action: 'escalate_internally',
    roles: ['agent'],
    route: 'escalate-internally',
  }),
  slice<AnswerInternalEscalation, AnswerInternalEscalationRequest>()({
    type: 'AnswerInternalEscalation',
    action: 'answer_internal_escalation',
    roles: ['supervisor', 'manager'],
    route: 'answer-internal-escalation',
  }),
  slice<TagDispute, TagDisputeRequest>()({
    type: 'TagDispute',
    action: 'tag',
    roles: ['agent', 'supervisor'],
    route: 'tag',
    call: { operationId: 'tagDispute', path: '/api/v1/disputes/{id}/tags' },
    workspace: true,
    guard: tagGuard,
  }),
] as const;

type Slice = (typeof COMMAND_SLICES)[number];
type CommandOfSlice<S> = S extends CommandSlice<infer C, unknown> ? C : never;

export type DisputeCommand = CommandOfSlice<Slice>;
export type DisputeCommandType = DisputeCommand['type'];
export type CommandOf<T extends DisputeCommandType> = Extract<DisputeCommand, { type: T }>;

/** What callers send for each command (its data before the application adds looked-up facts). */
export type DisputeRequests = {
  [S in Slice as S['type']]: S extends CommandSlice<Command<string, unknown>, infer R> ? R : never;
};
export type RequestOf<T extends DisputeCommandType> = DisputeRequests[T];

/** The slices that bring their own stage guard (the others are in stage-guards.ts). */
export type SelfGuardedType = Extract<Slice, { guard: Guard }>['type'];
/** The slices offered in `workspaceActions`. */
export type WorkspaceSliceType = Extract<Slice, { workspace: true }>['type'];

/** The name each command has in `allowedActions` (the UI's buttons) and the roles that may send it (API.md). */
export const ACTIONS: Record<DisputeCommandType, { action: string; roles: readonly Role[] }> = Object.fromEntries(
  COMMAND_SLICES.map((s) => [s.type, { action: s.action, roles: s.roles }]),
) as unknown as Record<DisputeCommandType, { action: string; roles: readonly Role[] }>;

/** The slice of a command type. */
export const sliceOf = (type: DisputeCommandType): CommandSlice<Command<string, unknown>, unknown> =>
  COMMAND_SLICES.find((s) => s.type === type)!;
