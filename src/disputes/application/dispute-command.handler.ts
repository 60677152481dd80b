import { createHash, randomUUID } from 'node:crypto';
import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock } from '../../common/clock';
import { EVENT_STORE, EventStore, NewEvent, StoredEvent, WrongExpectedRevisionError } from '../../event-store/domain/event-store.port';
import { PAYMENT_PROVIDER, PaymentProvider } from '../../compensation/payment-provider.port';
import { DIRECTORY, DisputeDirectory } from '../../projections/disputes/dispute-directory';
import { ProjectionEngine } from '../../projections/projection-engine.service';
import { DEFAULT_SLA_POLICY } from '../../sla/domain/sla-policy';
import { ABUSE_THRESHOLD } from '../domain/authority';
import { DisputeCommand, PayCompensation } from '../domain/dispute.commands';
import { assertPayable, decide, needsPayout } from '../domain/dispute.decide';
import { DAY_MS } from '../domain/dispute.types';
import { DISPUTE_EVENT_SCHEMA_VERSION, DisputeEvent, DisputeState, DisputeStateOrNone, evolve } from '../domain/dispute.events';
import { disputeStreamId, foldStored } from './dispute-stream';
import {
  ConcurrencyExhaustedError,
  DisputeCommandResult,
  ExecuteDisputeCommand,
  PreconditionFailedError,
} from './execute-dispute-command';
import { KeyedLock } from './keyed-lock';


const MAX_ATTEMPTS = 8;

/**
 * Load the stream, decide, append with the expected revision. A lost race is retried on fresh state when
 * the caller sent no If-Match; the in-process lock only spares this instance needless races: correctness
 * across instances comes from the expected revision.
 */
@CommandHandler(ExecuteDisputeCommand)
export class DisputeCommandHandler implements ICommandHandler<ExecuteDisputeCommand, DisputeCommandResult> {
  private readonly logger = new Logger(DisputeCommandHandler.name);
  private readonly locks = new KeyedLock();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PAYMENT_PROVIDER) private readonly payments: PaymentProvider,
    @Inject(DIRECTORY) private readonly directory: DisputeDirectory,
    private readonly projections: ProjectionEngine,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(command: ExecuteDisputeCommand): Promise<DisputeCommandResult> {
    return this.locks.run(command.disputeId, () => this.executeWithRetry(command));
  }

  private async executeWithRetry(command: ExecuteDisputeCommand): Promise<DisputeCommandResult> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        return await this.attempt(command);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (command.options.expectedVersion !== undefined) {
          throw new PreconditionFailedError(command.options.expectedVersion, error.actual + 1);
        }
        this.logger.debug(`lost a race on ${error.streamId} (attempt ${attempt}), retrying`);
      }
    }
    throw new ConcurrencyExhaustedError(`dispute ${command.disputeId} kept changing; try again`);
  }

  private async attempt(command: ExecuteDisputeCommand): Promise<DisputeCommandResult> {
    const streamId = disputeStreamId(command.disputeId);
    const stored = await this.store.readStream(streamId);
    const replay = this.alreadyApplied(stored, command.options.commandId);
    if (replay) return replay;
    const state = foldStored(stored);
    const version = state?.version ?? 0;
    const { expectedVersion } = command.options;
    if (expectedVersion !== undefined && expectedVersion !== version) throw new PreconditionFailedError(expectedVersion, version);

    const domainCommand = await this.enrich(command, state);
    if (domainCommand.type === 'PayCompensation') await this.obtainPayout(domainCommand, state, command.disputeId);
    const events = decide(domainCommand, state);
    const result = await this.store.append(
      streamId,
      events.map((event) => this.toNewEvent(event, command)),
      state === null ? 'no_stream' : version - 1,
    );
    const next = events.reduce<DisputeStateOrNone>(evolve, state) as DisputeState;
    return { state: next, position: result.position, replayed: false };
  }

  /** An idempotent retry of a command already in the stream (e.g. after a crash before the response). */
  private alreadyApplied(stored: StoredEvent[], commandId: string): DisputeCommandResult | null {
    const mine = stored.filter((e) => e.metadata.commandId === commandId);
    if (mine.length === 0) return null;
    const last = mine[mine.length - 1];
    return { state: foldStored(stored, last.revision) as DisputeState, position: last.position, replayed: true };
  }

  /** Adds context and the facts the decider needs from outside the stream. */
  private async enrich(command: ExecuteDisputeCommand, state: DisputeStateOrNone): Promise<DisputeCommand> {
    const now = this.clock.now();
    const data: Record<string, unknown> = { ...command.request.data };
    const type = command.request.type;
    if (type === 'FileDispute') {
      data.disputeId = command.disputeId;
      const defectCode = data.defectCode as string | undefined;
      data.earlierSameDefectDisputes = defectCode
        ? (await this.caughtUpDirectory(), await this.directory.earlierSameDefect(data.orderId as string, data.productSku as string, defectCode))
        : 0;
    }
    if ((type === 'ProposeCompensation' || type === 'NegotiateDispute' || type === 'RecordOutcome') && state !== null) {
      data.compensationId ??= derivedId(command.options.commandId, 'compensation');
      await this.caughtUpDirectory();
      const since = new Date(now.getTime() - ABUSE_THRESHOLD.days * DAY_MS).toISOString();
      data.recentCompensatedDisputes = await this.directory.compensatedDisputesSince(state.filing.customerId, since);
    }
    return { type, data, context: { actor: command.actor, now: now.toISOString() } } as DisputeCommand;
  }

  /** Cross-dispute rules read the directory: let it catch up with the log first (bounded). */
  private async caughtUpDirectory(): Promise<void> {
    if (!(await this.projections.waitForHead('disputes'))) {
      this.logger.warn('the disputes read model is behind the log: cross-dispute rules read it as it is');
    }
  }

  /**
   * The provider is idempotent per compensation id, so a retry after a crash between the payout and the
   * append gets the first payout back and the compensation is never paid twice.
   */
  private async obtainPayout(command: PayCompensation, state: DisputeStateOrNone, disputeId: string): Promise<void> {
    const compensation = assertPayable(state, command);
    command.data.payout = null;
    if (!needsPayout(compensation)) return;
    const payout = await this.payments.pay({
      compensationId: compensation.compensationId,
      disputeId,
      amount: compensation.amount!,
      paymentReference: command.data.paymentReference ?? null,
    });
    command.data.payout = { payoutId: payout.payoutId };
  }

  private toNewEvent(event: DisputeEvent, command: ExecuteDisputeCommand): NewEvent {
    const { actor, options } = command;
    return {
      type: event.type,
      data: event.data as unknown as Record<string, unknown>,
      occurredAt: event.data.at,
      metadata: {
        actorId: actor.id,
        actorRoles: actor.roles,
        commandId: options.commandId,
        commandType: command.request.type,
        correlationId: options.correlationId,
        causationId: options.causationId,
        policyVersion: DEFAULT_SLA_POLICY.version,
        schemaVersion: DISPUTE_EVENT_SCHEMA_VERSION[event.type],
      },
    };
  }
}

/** A UUID-shaped id derived from another, so a retried command regenerates the same ids. */
export function derivedId(seed: string, purpose: string): string {
  const hex = createHash('sha256').update(`${purpose}:${seed}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const newCommandId = () => randomUUID();
