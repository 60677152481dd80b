import { ACTIONS, COMMAND_SLICES, CommandContext, DisputeCommand, DisputeCommandType } from './dispute.commands';
import { conflict, notFound } from '../../shared/errors';
import { DisputeEvent } from './dispute.events';
import { DisputeState, DisputeStateOrNone } from './dispute.state';
import { evolve } from './dispute.evolve';
import { Actor } from '../../shared/actor';
import { Decider } from '../../shared/event-sourcing/decider';
import { assertCanWrite, canWrite } from './ownership';
import { assertRole, hasRole, STAGE_GUARDS, TARGETED_COMMANDS } from './stage-guards';
import { acknowledge, assign, close, fileDispute, recordFeedback, reject, reopen, withdraw } from './lifecycle';
import { negotiate } from './negotiation';
import { escalate, recordOutcome } from './escalation';
import { approve, decline, pay, propose } from './compensation';
import { confirmBreach, exemptBreach, recordBreach } from './breaches';
import { deliverRemedy, recordInvestigationOverdue, sendApology } from './breach-remedy.decide';
import { tagDispute } from '../commands/tag/tag.decide';
import { addNote, answerInternalEscalation, attachEvidence, CASE_FILE_COMMANDS, escalateInternally, recordContact } from './case-file';

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

  switch (command.type) {
    case 'AcknowledgeDispute':
      return acknowledge(state, command);
    case 'AssignDispute':
      return assign(state, command);
    case 'NegotiateDispute':
      return negotiate(state, command);
    case 'EscalateDispute':
      return escalate(state, command);
    case 'RecordOutcome':
      return recordOutcome(state, command);
    case 'ProposeCompensation':
      return propose(state, command);
    case 'ApproveCompensation':
      return approve(state, command);
    case 'DeclineCompensation':
      return decline(state, command);
    case 'PayCompensation':
      return pay(state, command);
    case 'RejectDispute':
      return reject(state, command);
    case 'WithdrawDispute':
      return withdraw(state, command);
    case 'CloseDispute':
      return close(state, command);
    case 'ReopenDispute':
      return reopen(state, command);
    case 'RecordFeedback':
      return recordFeedback(state, command);
    case 'RecordSlaBreach':
      return recordBreach(state, command);
    case 'ConfirmSlaBreach':
      return confirmBreach(state, command);
    case 'ExemptSlaBreach':
      return exemptBreach(state, command);
    // issue 14
    case 'SendApology':
      return sendApology(state, command);
    case 'DeliverBreachRemedy':
      return deliverRemedy(state, command);
    case 'RecordInvestigationOverdue':
      return recordInvestigationOverdue(state, command);
    // The agent's case workspace (issue 15).
    case 'AddNote':
      return addNote(state, command);
    case 'RecordContact':
      return recordContact(state, command);
    case 'AttachEvidence':
      return attachEvidence(state, command);
    case 'EscalateInternally':
      return escalateInternally(state, command);
    case 'AnswerInternalEscalation':
      return answerInternalEscalation(state, command);
    case 'TagDispute':
      return tagDispute(state, command);
  }
}

const WORKSPACE = new Set<DisputeCommandType>([
  ...CASE_FILE_COMMANDS,
  ...COMMAND_SLICES.flatMap((s) => ('workspace' in s && s.workspace ? [s.type] : [])),
]);

/** The names `workspaceActions` can hold. */
export const WORKSPACE_ACTION_NAMES = [...WORKSPACE].map((type) => ACTIONS[type].action);

/** The write actions this actor may take on the dispute now (names as in ACTIONS); the workspace's are in `workspaceActions`. */
export function allowedActions(state: DisputeState, actor: Actor, now: string): string[] {
  return actionsWhere(state, actor, now, (type) => !WORKSPACE.has(type));
}

/** The workspace actions (notes, contacts, evidence, internal escalation) this actor may take now. */
export function workspaceActions(state: DisputeState, actor: Actor, now: string): string[] {
  return actionsWhere(state, actor, now, (type) => WORKSPACE.has(type));
}

function actionsWhere(state: DisputeState, actor: Actor, now: string, include: (type: DisputeCommandType) => boolean): string[] {
  if (!canWrite(actor, state)) return [];
  const context: CommandContext = { actor, now };
  // Only whether each guard refuses matters here: its refusal's stack trace would be most of the cost.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return (Object.keys(STAGE_GUARDS) as Exclude<DisputeCommandType, 'FileDispute'>[])
      .filter((type) => include(type) && hasRole(type, actor) && STAGE_GUARDS[type](state, context) === null)
      .map((type) => ACTIONS[type].action);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** The dispute's write model in the toolkit's shape (shared/event-sourcing): a stream that does not exist is null. */
export const disputeDecider: Decider<DisputeCommand, DisputeEvent, DisputeStateOrNone> = {
  decide: (command, state) => decide(command, state),
  evolve,
  initialState: () => null,
};
