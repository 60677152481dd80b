import { Logger } from '@nestjs/common';
import { Kysely } from 'kysely';
import { EventStore, StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { handleCommand } from '../../shared/event-sourcing/handle-command';
import { Projection, ProjectionChange } from '../../read-side/engine/projection';
import { PenaltyCommand, penaltyDecider, penaltyStreamId, SubjectType } from '../domain/penalties';
import { SlaPolicyRegistry } from './sla-policy.registry';

/**
 * Executes the internal penalties of a confirmed breach (and reverses them on a later exemption) by
 * appending to the agent's and the department's streams. It reads the log like a projection, from its own
 * checkpoint, but it is a process, not a read model: never rebuilt. A crash between an append and the
 * checkpoint replays the confirmation; the subject stream already holds the penalty, so nothing doubles.
 */
export const PENALTY_PROCESSOR = 'penalty-processor';

/**
 * What the processor reads of a breached dispute. Declared here, not imported: `sla` is upstream of `disputes`;
 * the dispute's state (DisputeState) satisfies it structurally.
 */
export interface BreachedDispute {
  id: string;
  slaPolicyVersion?: number | null;
  filing: { channel: string };
  breaches: readonly { breachId: string; detectedAt: string; assignee: string | null; department: string | null }[];
}

/** The dispute's current state, folded from its stream by the disputes context (given by whoever composes the processor). */
export type DisputeLoader = (disputeId: string) => Promise<BreachedDispute | null>;

export class PenaltyProcessor implements Projection<never> {
  readonly name = PENALTY_PROCESSOR;
  readonly tables = [] as const;
  private readonly logger = new Logger(PenaltyProcessor.name);

  constructor(
    private readonly log: EventStore,
    private readonly policies: SlaPolicyRegistry,
    private readonly loadDispute: DisputeLoader,
  ) {}

  async createTables(): Promise<void> {}

  async applyBatch(_trx: Kysely<any>, events: readonly StoredEvent[]): Promise<ProjectionChange[]> {
    for (const event of events) {
      if (event.type === 'SlaBreachConfirmed') await this.onConfirmed(event);
      if (event.type === 'SlaBreachExempted' && event.data.wasConfirmed === true) await this.onExempted(event);
    }
    return [];
  }

  private async onConfirmed(event: StoredEvent): Promise<void> {
    const { state, breach } = await this.breach(event);
    if (!breach) return;
    const policy = await this.policies.version(state.slaPolicyVersion ?? 1);
    for (const [subjectType, subjectId] of subjects(breach)) {
      await this.appendTo(subjectType, subjectId, event, {
        type: 'ApplyPenalty',
        data: {
          subjectType,
          subjectId,
          breachId: breach.breachId,
          disputeId: state.id,
          channel: state.filing.channel,
          detectedAt: breach.detectedAt,
          at: event.occurredAt,
          calendar: policy.businessCalendar,
        },
      });
    }
  }

  private async onExempted(event: StoredEvent): Promise<void> {
    const { state, breach } = await this.breach(event);
    if (!breach) return;
    const policy = await this.policies.version(state.slaPolicyVersion ?? 1);
    for (const [subjectType, subjectId] of subjects(breach)) {
      await this.appendTo(subjectType, subjectId, event, {
        type: 'ReversePenalty',
        data: {
          subjectType,
          subjectId,
          breachId: breach.breachId,
          reason: String(event.data.reason),
          at: event.occurredAt,
          calendar: policy.businessCalendar,
        },
      });
    }
  }

  private async breach(event: StoredEvent) {
    const state = (await this.loadDispute(String(event.data.disputeId)))!;
    const breach = state?.breaches.find((b) => b.breachId === event.data.breachId);
    if (!breach) this.logger.error(`breach ${String(event.data.breachId)} not found in its dispute stream`);
    return { state, breach };
  }

  /** Once per breach and subject: the penalty stream's own state makes a replayed confirmation a no-op. */
  private async appendTo(subjectType: SubjectType, subjectId: string, cause: StoredEvent, command: PenaltyCommand): Promise<void> {
    const streamId = penaltyStreamId(subjectType, subjectId);
    await handleCommand(this.log, streamId, penaltyDecider, command, {
      maxAttempts: 5,
      exhausted: () => new Error(`could not record the penalty of ${String(cause.data.breachId)} on ${streamId}: it kept changing`),
      metadata: () => ({
        actorId: 'sla-penalty-processor',
        actorRoles: ['system'],
        commandId: `${cause.eventId}:${subjectType}`,
        correlationId: String(cause.metadata.correlationId ?? cause.eventId),
        causationId: cause.eventId,
        policyVersion: cause.metadata.policyVersion ?? null,
        schemaVersion: 1,
      }),
    });
  }
}

function subjects(breach: { assignee: string | null; department: string | null }): [SubjectType, string][] {
  const out: [SubjectType, string][] = [];
  if (breach.assignee) out.push(['agent', breach.assignee]);
  if (breach.department) out.push(['department', breach.department]);
  return out;
}
