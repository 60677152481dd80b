import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock } from '../../shared/clock';
import { EVENT_STORE, EventStore, EventMetadata } from '../../shared/event-sourcing/event-store.port';
import { handleCommand, LoadedStream } from '../../shared/event-sourcing/handle-command';
import { KeyedLock } from '../../shared/event-sourcing/keyed-lock';
import { ConcurrencyExhaustedError } from '../../shared/event-sourcing/command-errors';
import { PAYMENT_PROVIDER, PaymentProvider } from '../../compensation/payment-provider.port';
import { SlaPolicyRegistry } from '../../sla/application/sla-policy.registry';
import { StandingService } from '../../sla/application/standing.service';
import { CommandOf, DisputeCommand, DisputeCommandType, RequestOf } from '../domain/dispute.commands';
import { disputeDecider } from '../domain/dispute.decide';
import { DISPUTE_EVENT_SCHEMA_VERSION, DisputeEvent } from '../domain/dispute.events';
import { DisputeState, DisputeStateOrNone } from '../domain/dispute.state';
import { FactSources, LookUpFacts } from './command-facts';
import { COMMAND_FACTS } from './command-facts.table';
import { disputeStreamId } from './dispute-stream';
import { DisputeCommandResult, ExecuteDisputeCommand } from './execute-dispute-command';
import { DISPUTE_FACTS, DisputeFacts } from './ports/dispute-facts.port';
import { EvidencePolicyRegistry } from './policies/evidence-policy';
import { AuthorityPolicyRegistry } from './policies/authority-policy';

/**
 * Every dispute write: the toolkit's handleCommand (load → idempotent replay → If-Match → decide → append with
 * the expected revision, retrying lost races) with the command's own look-ups (COMMAND_FACTS) run on each
 * attempt. The in-process lock only spares this instance needless races: correctness across instances comes
 * from the expected revision.
 */
@CommandHandler(ExecuteDisputeCommand)
export class DisputeCommandHandler implements ICommandHandler<ExecuteDisputeCommand, DisputeCommandResult> {
  private readonly logger = new Logger(DisputeCommandHandler.name);
  private readonly locks = new KeyedLock();
  private readonly sources: FactSources;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PAYMENT_PROVIDER) payments: PaymentProvider,
    @Inject(DISPUTE_FACTS) facts: DisputeFacts,
    @Inject(CLOCK) private readonly clock: Clock,
    policies: SlaPolicyRegistry,
    private readonly standing: StandingService,
    evidencePolicy: EvidencePolicyRegistry,
    authorityPolicy: AuthorityPolicyRegistry,
  ) {
    this.sources = {
      facts,
      policies,
      payments,
      evidencePolicy,
      authorityPolicy,
      cautious: (what, fallback, lookup) => this.cautious(what, fallback, lookup),
    };
  }

  execute(command: ExecuteDisputeCommand): Promise<DisputeCommandResult> {
    return this.locks.run(command.disputeId, () => this.run(command));
  }

  private async run(command: ExecuteDisputeCommand): Promise<DisputeCommandResult> {
    const { options } = command;
    const result = await handleCommand(
      this.store,
      disputeStreamId(command.disputeId),
      disputeDecider,
      (loaded) => this.complete(command, loaded),
      {
        commandId: options.commandId,
        requestFingerprint: options.requestFingerprint,
        expectedVersion: options.expectedVersion,
        newStream: options.newStream,
        metadata: (event, decided, state) => this.metadata(event, decided, state, command),
        exhausted: () => new ConcurrencyExhaustedError(`dispute ${command.disputeId} kept changing; try again`),
        onRetry: (error, attempt) => this.logger.debug(`lost a race on ${error.streamId} (attempt ${attempt}), retrying`),
      },
    );
    return { state: result.state as DisputeState, position: result.position, replayed: result.replayed };
  }

  /** The typed command: the request, who asks and when, and the facts its look-up adds (if it has one). */
  private async complete(command: ExecuteDisputeCommand, loaded: LoadedStream<DisputeStateOrNone>): Promise<DisputeCommand> {
    const { type } = command.request;
    // The bus carries the request as validated at the edge (DTOs, the scheduler, the seed): typed from here on.
    const request = command.request.data as RequestOf<typeof type>;
    const context = { actor: command.actor, now: this.clock.now().toISOString() };
    // Issue 14: a suspended agent neither acts on disputes nor is assigned one (403) until reinstated.
    await this.standing.assertMayAct(command.actor, type === 'AssignDispute' ? (request as RequestOf<'AssignDispute'>).agentId : null);
    const lookUp = COMMAND_FACTS[type] as LookUpFacts<DisputeCommandType, DisputeStateOrNone> | undefined;
    const wanted = lookUp !== undefined && (loaded.state !== null || type === 'FileDispute');
    const data = wanted
      ? await lookUp({ ...request }, { disputeId: command.disputeId, commandId: command.options.commandId, loaded, context }, this.sources)
      : { ...request };
    return { type, data, context } as CommandOf<typeof type>;
  }

  private metadata(event: DisputeEvent, decided: DisputeCommand, state: DisputeStateOrNone, command: ExecuteDisputeCommand): EventMetadata {
    const { actor, options } = command;
    return {
      actorId: actor.id,
      actorRoles: actor.roles,
      commandId: options.commandId,
      commandType: command.request.type,
      ...(options.requestFingerprint ? { requestFingerprint: options.requestFingerprint } : {}),
      correlationId: options.correlationId,
      causationId: options.causationId,
      // The SLA policy version an event was decided under: the dispute's own.
      policyVersion: decided.type === 'FileDispute' ? (decided.data.slaPolicyVersion ?? 1) : (state?.slaPolicyVersion ?? 1),
      schemaVersion: DISPUTE_EVENT_SCHEMA_VERSION[event.type],
    };
  }

  private async cautious<T>(what: string, fallback: T, lookup: () => Promise<T>): Promise<T> {
    try {
      return await lookup();
    } catch (error) {
      this.logger.warn(`${what} failed (${(error as Error).message}); deciding with the cautious default`);
      return fallback;
    }
  }
}
