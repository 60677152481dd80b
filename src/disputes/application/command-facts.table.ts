import { DisputeCommandType } from '../domain/dispute.commands';
import { DisputeStateOrNone } from '../domain/dispute.state';
import { LookUpFacts } from './command-facts';
import { fileDisputeFacts } from '../commands/file-dispute/file-dispute.facts';
import { negotiateFacts } from '../commands/negotiate/negotiate.facts';
import { recordOutcomeFacts } from '../commands/record-outcome/record-outcome.facts';
import { proposeCompensationFacts } from '../commands/propose-compensation/propose-compensation.facts';
import { payCompensationFacts } from '../commands/pay-compensation/pay-compensation.facts';
import { recordSlaBreachFacts } from '../commands/record-sla-breach/record-sla-breach.facts';
import { escalateFacts } from '../commands/escalate/escalate.facts';
import { addNoteFacts } from '../commands/add-note/add-note.facts';
import { recordContactFacts } from '../commands/record-contact/record-contact.facts';
import { attachEvidenceFacts } from '../commands/attach-evidence/attach-evidence.facts';
import { escalateInternallyFacts } from '../commands/escalate-internally/escalate-internally.facts';

/** The commands that need facts from outside their stream, each with its slice's look-up. */
export const COMMAND_FACTS: { [T in DisputeCommandType]?: LookUpFacts<T> | LookUpFacts<T, DisputeStateOrNone> } = {
  FileDispute: fileDisputeFacts,
  NegotiateDispute: negotiateFacts,
  RecordOutcome: recordOutcomeFacts,
  ProposeCompensation: proposeCompensationFacts,
  PayCompensation: payCompensationFacts,
  RecordSlaBreach: recordSlaBreachFacts,
  // The agent's case workspace (issue 15).
  EscalateDispute: escalateFacts,
  AddNote: addNoteFacts,
  RecordContact: recordContactFacts,
  AttachEvidence: attachEvidenceFacts,
  EscalateInternally: escalateInternallyFacts,
};
