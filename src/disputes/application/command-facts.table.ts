import { DisputeCommandType } from '../domain/dispute.commands';
import { DisputeStateOrNone } from '../domain/dispute.state';
import { LookUpFacts } from './command-facts';
import { fileDisputeFacts } from '../commands/file-dispute/file-dispute.facts';
import { negotiateFacts } from '../commands/negotiate/negotiate.facts';
import { recordOutcomeFacts } from '../commands/record-outcome/record-outcome.facts';
import { proposeCompensationFacts } from '../commands/propose-compensation/propose-compensation.facts';
import { payCompensationFacts } from '../commands/pay-compensation/pay-compensation.facts';
import { recordSlaBreachFacts } from '../commands/record-sla-breach/record-sla-breach.facts';

/** The commands that need facts from outside their stream, each with its slice's look-up. */
export const COMMAND_FACTS: { [T in DisputeCommandType]?: LookUpFacts<T> | LookUpFacts<T, DisputeStateOrNone> } = {
  FileDispute: fileDisputeFacts,
  NegotiateDispute: negotiateFacts,
  RecordOutcome: recordOutcomeFacts,
  ProposeCompensation: proposeCompensationFacts,
  PayCompensation: payCompensationFacts,
  RecordSlaBreach: recordSlaBreachFacts,
};
