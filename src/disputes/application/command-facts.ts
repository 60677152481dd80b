import { PaymentProvider } from '../../compensation/payment-provider.port';
import { LoadedStream } from '../../shared/event-sourcing/handle-command';
import { SlaPolicyRegistry } from '../../sla/application/sla-policy.registry';
import { CommandContext, CommandOf, DisputeCommandType, RequestOf } from '../domain/dispute.commands';
import { DisputeState, DisputeStateOrNone } from '../domain/dispute.state';
import { DisputeFacts } from './ports/dispute-facts.port';
import { EvidencePolicyRegistry } from './policies/evidence-policy';
import { AuthorityPolicyRegistry } from './policies/authority-policy';

/** Where a command is decided: its dispute, as loaded, and who asks when. */
export interface FactsContext<S extends DisputeStateOrNone = DisputeState> {
  disputeId: string;
  commandId: string;
  loaded: LoadedStream<DisputeStateOrNone> & { state: S };
  context: CommandContext;
}

/** What look-ups may ask: the ports of the disputes context, the SLA policies, the payment provider. */
export interface FactSources {
  facts: DisputeFacts;
  policies: SlaPolicyRegistry;
  payments: PaymentProvider;
  /** The evidence checklist in force (issue 15). */
  evidencePolicy: EvidencePolicyRegistry;
  /** The authority limits in force (issue 15). */
  authorityPolicy: AuthorityPolicyRegistry;
  /**
   * Commands keep working while the read store is down: a cross-dispute lookup that fails takes the cautious
   * answer (no repeated defect; a flagged customer) and says so in the log.
   */
  cautious<T>(what: string, fallback: T, lookup: () => Promise<T>): Promise<T>;
}

/**
 * A command's look-up: the request as the caller sent it, completed with the facts the decider needs from
 * outside the stream (cross-dispute facts, the policy in force, generated ids, the payout). Run on each
 * attempt. Only for an existing dispute (filing excepted): on a missing one, `decide` refuses first.
 */
export type LookUpFacts<T extends DisputeCommandType, S extends DisputeStateOrNone = DisputeState> = (
  request: RequestOf<T>,
  where: FactsContext<S>,
  sources: FactSources,
) => Promise<CommandOf<T>['data']>;
