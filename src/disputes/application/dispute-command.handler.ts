import { createHash, randomUUID } from 'node:crypto';
import { Inject, Logger, ServiceUnavailableException, UnprocessableEntityException } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock } from '../../shared/clock';
import { EVENT_STORE, EventStore, NewEvent, StoredEvent, WrongExpectedRevisionError } from '../../shared/event-sourcing/event-store.port';
import { PAYMENT_PROVIDER, PaymentProvider } from '../../compensation/payment-provider.port';
import { DIRECTORY, DisputeDirectory } from '../../projections/disputes/dispute-directory';
import { ProjectionEngine } from '../../projections/projection-engine.service';
import { SlaPolicyRegistry } from '../../sla/application/sla-policy.registry';
import { breachProof } from '../../sla/domain/breach-proof';
import { disputeClocks, overdueClocks } from '../../sla/domain/dispute-clocks';
import { peakExtensionPercent } from '../../sla/domain/sla-clock';
import { conflict } from '../../shared/errors';
import { ABUSE_THRESHOLD } from '../domain/authority';
import { DisputeCommand, PayCompensation } from '../domain/dispute.commands';
import { assertPayable, decide, needsPayout } from '../domain/dispute.decide';
import { DAY_MS } from '../domain/dispute.types';
import { DISPUTE_EVENT_SCHEMA_VERSION, DisputeEvent, DisputeState, DisputeStateOrNone, evolve } from '../domain/dispute.events';
import { disputeStreamId, foldStored } from './dispute-stream';
import {
  CommandOptions,
  ConcurrencyExhaustedError,
  DisputeCommandResult,
  ExecuteDisputeCommand,
  PreconditionFailedError,
} from './execute-dispute-command';
import { KeyedLock } from '../../shared/event-sourcing/keyed-lock';


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
    private readonly policies: SlaPolicyRegistry,
  ) {}

  execute(command: ExecuteDisputeCommand): Promise<DisputeCommandResult> {
    return this.locks.run(command.disputeId, () => this.executeWithRetry(command));
  }

  private async executeWithRetry(command: ExecuteDisputeCommand): Promise<DisputeCommandResult> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        return await this.attempt(command, attempt === 1 && command.options.newStream === true);
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

  private async attempt(command: ExecuteDisputeCommand, newStream: boolean): Promise<DisputeCommandResult> {
    const streamId = disputeStreamId(command.disputeId);
    const stored = newStream ? [] : await this.store.readStream(streamId);
    const replay = this.alreadyApplied(stored, command.options);
    if (replay) return replay;
    const state = foldStored(stored);
    const version = state?.version ?? 0;
    const { expectedVersion } = command.options;
    if (expectedVersion !== undefined && expectedVersion !== version) throw new PreconditionFailedError(expectedVersion, version);

    const domainCommand = await this.enrich(command, state, stored);
    if (domainCommand.type === 'PayCompensation') await this.obtainPayout(domainCommand, state, command.disputeId);
    const events = decide(domainCommand, state);
    const result = await this.store.append(
      streamId,
      events.map((event) => this.toNewEvent(event, command, policyVersionOf(domainCommand, state))),
      state === null ? 'no_stream' : version - 1,
    );
    const next = events.reduce<DisputeStateOrNone>(evolve, state) as DisputeState;
    return { state: next, position: result.position, replayed: false };
  }

  /** An idempotent retry of a command already in the stream (e.g. after a crash before the response). */
  private alreadyApplied(stored: StoredEvent[], options: CommandOptions): DisputeCommandResult | null {
    const mine = stored.filter((e) => e.metadata.commandId === options.commandId);
    if (mine.length === 0) return null;
    const recorded = mine[0].metadata.requestFingerprint;
    if (recorded !== undefined && options.requestFingerprint !== undefined && recorded !== options.requestFingerprint) {
      throw new UnprocessableEntityException('this Idempotency-Key was already used with a different request');
    }
    const last = mine[mine.length - 1];
    return { state: foldStored(stored, last.revision) as DisputeState, position: last.position, replayed: true };
  }

  /** Adds context and the facts the decider needs from outside the stream. */
  private async enrich(command: ExecuteDisputeCommand, state: DisputeStateOrNone, stored: StoredEvent[]): Promise<DisputeCommand> {
    const now = this.clock.now();
    const data: Record<string, unknown> = { ...command.request.data };
    const type = command.request.type;
    if (type === 'FileDispute') {
      data.disputeId = command.disputeId;
      const defectCode = data.defectCode as string | undefined;
      data.earlierSameDefectDisputes = defectCode
        ? await this.orFallback('repeated-defect lookup', 0, async () => {
            await this.caughtUpDirectory();
            return this.directory.earlierSameDefect(data.orderId as string, data.productSku as string, defectCode);
          })
        : 0;
      // The dispute keeps the policy in force now, and a peak window's extension if filed inside one.
      const policy = await this.policies.refresh();
      data.slaPolicyVersion = policy.current.version;
      data.peakExtensionPercent = peakExtensionPercent(now, policy.peakWindows);
    }
    if (type === 'RecordSlaBreach' && state !== null) Object.assign(data, await this.breachFacts(state, stored, data, now));
    if ((type === 'ProposeCompensation' || type === 'NegotiateDispute' || type === 'RecordOutcome') && state !== null) {
      data.compensationId ??= derivedId(command.options.commandId, 'compensation');
      const since = new Date(now.getTime() - ABUSE_THRESHOLD.days * DAY_MS).toISOString();
      // Unknown history counts as flagged: the compensation then waits for a supervisor rather than slipping through.
      data.recentCompensatedDisputes = await this.orFallback('abuse-control lookup', ABUSE_THRESHOLD.disputes, async () => {
        await this.caughtUpDirectory();
        return this.directory.compensatedDisputesSince(state.filing.customerId, since);
      });
    }
    return { type, data, context: { actor: command.actor, now: now.toISOString() } } as DisputeCommand;
  }

  /**
   * The clock a breach is about, under the dispute's own policy version, and its proof. Automatic detection
   * (the scheduler) names an overdue clock; a complaint names a kind and gets that kind's current clock.
   */
  private async breachFacts(state: DisputeState, stored: StoredEvent[], data: Record<string, unknown>, now: Date) {
    const policy = await this.policies.version(state.slaPolicyVersion ?? 1);
    const clocks = data.source === 'automatic' ? overdueClocks(state, policy, now.toISOString()) : disputeClocks(state, policy);
    const clock = clocks.find((c) => (data.source === 'automatic' ? c.key === data.clockKey : c.kind === data.kind && c.kind !== 'payment'));
    if (!clock || clock.dueAt === null) throw conflict(data.source === 'automatic' ? `clock ${String(data.clockKey)} is not overdue` : `no running ${String(data.kind)} clock to report`);
    return {
      kind: clock.kind,
      clockKey: clock.key,
      dueAt: clock.dueAt,
      breachId: derivedId(`${state.id}:${clock.key}`, 'breach'),
      proof: breachProof(stored, clock, policy),
    };
  }

  /**
   * Commands keep working while the read store is down: a cross-dispute lookup that fails takes the cautious
   * answer (no repeated defect; a flagged customer) and says so in the log.
   */
  private async orFallback<T>(what: string, fallback: T, lookup: () => Promise<T>): Promise<T> {
    try {
      return await lookup();
    } catch (error) {
      this.logger.warn(`${what} failed (${(error as Error).message}); deciding with the cautious default`);
      return fallback;
    }
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
    let payout;
    try {
      payout = await this.payments.pay({
        compensationId: compensation.compensationId,
        disputeId,
        amount: compensation.amount!,
        paymentReference: command.data.paymentReference ?? null,
      });
    } catch (error) {
      throw new ServiceUnavailableException(`the payment provider is unavailable (${(error as Error).message}); nothing was paid or recorded, retry later`);
    }
    command.data.payout = { payoutId: payout.payoutId };
  }

  private toNewEvent(event: DisputeEvent, command: ExecuteDisputeCommand, policyVersion: number): NewEvent {
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
        ...(options.requestFingerprint ? { requestFingerprint: options.requestFingerprint } : {}),
        correlationId: options.correlationId,
        causationId: options.causationId,
        policyVersion,
        schemaVersion: DISPUTE_EVENT_SCHEMA_VERSION[event.type],
      },
    };
  }
}

/** The SLA policy version an event was decided under: the dispute's own. */
function policyVersionOf(command: DisputeCommand, state: DisputeStateOrNone): number {
  if (command.type === 'FileDispute') return command.data.slaPolicyVersion ?? 1;
  return state?.slaPolicyVersion ?? 1;
}

/** A UUID-shaped id derived from another, so a retried command regenerates the same ids. */
export function derivedId(seed: string, purpose: string): string {
  const hex = createHash('sha256').update(`${purpose}:${seed}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const newCommandId = () => randomUUID();
