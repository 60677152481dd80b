import { BadRequestException, ConflictException, Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CLOCK, Clock } from '../../shared/clock';
import { Actor } from '../../shared/actor';
import { EVENT_STORE, EventStore, WrongExpectedRevisionError } from '../../shared/event-sourcing/event-store.port';
import { ProjectionEngine } from '../../projections/projection-engine.service';
import { SLA_POLICY_STREAM, SlaPolicyEvent } from '../domain/sla-policy.events';
import { SlaPolicy, validatePeakWindow, validateSlaPolicy } from '../domain/sla-policy';
import { PENALTY_PROCESSOR } from './penalty-processor';
import { SlaPolicyRegistry } from './sla-policy.registry';

/**
 * Policy changes (a new version each time, appended with the expected revision so two admins cannot both
 * become version n+1), peak-window announcements, and waiting for the penalty processor.
 */
@Injectable()
export class SlaPolicyAdmin {
  constructor(
    private readonly registry: SlaPolicyRegistry,
    @Inject(EVENT_STORE) private readonly log: EventStore,
    private readonly projections: ProjectionEngine,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The penalty processor runs with the projections (projection-host.ts). */
  async penaltiesSettled(timeoutMs = 2000): Promise<void> {
    await this.projections.waitForHead(PENALTY_PROCESSOR, timeoutMs);
  }

  async changePolicy(body: Record<string, unknown>, actor: Actor): Promise<SlaPolicy> {
    const { version: _ignored, reason, ...policy } = body as Record<string, unknown> & { version?: unknown; reason?: unknown };
    const errors = validateSlaPolicy(policy);
    if (errors.length) throw new BadRequestException({ message: `invalid policy: ${errors.join('; ')}`, details: errors });
    await this.registry.refresh();
    const { state, revision } = this.registry.snapshot();
    const version = state.current.version + 1;
    await this.append(
      { type: 'SlaPolicyChanged', data: { version, policy: policy as unknown as Omit<SlaPolicy, 'version'>, reason: typeof reason === 'string' ? reason : null, at: this.now() } },
      revision,
      actor,
      version,
    );
    return this.registry.version(version);
  }

  async announcePeakWindow(body: { start: string; end: string; extensionPercent: number; reason: string }, actor: Actor) {
    const errors = validatePeakWindow(body);
    if (Date.parse(body.start) <= this.clock.now().getTime()) errors.push('start: a peak window is announced in advance, so it must start in the future');
    if (errors.length) throw new BadRequestException({ message: `invalid peak window: ${errors.join('; ')}`, details: errors });
    await this.registry.refresh();
    const { state, revision } = this.registry.snapshot();
    const window = {
      windowId: randomUUID(),
      start: new Date(body.start).toISOString(),
      end: new Date(body.end).toISOString(),
      extensionPercent: body.extensionPercent,
      reason: body.reason,
      at: this.now(),
    };
    await this.append({ type: 'PeakWindowAnnounced', data: window }, revision, actor, state.current.version);
    await this.registry.refresh();
    return window;
  }

  private async append(event: SlaPolicyEvent, revision: number, actor: Actor, policyVersion: number): Promise<void> {
    try {
      await this.log.append(
        SLA_POLICY_STREAM,
        [
          {
            type: event.type,
            data: event.data as unknown as Record<string, unknown>,
            occurredAt: event.data.at,
            metadata: { actorId: actor.id, actorRoles: actor.roles, commandId: randomUUID(), correlationId: randomUUID(), causationId: null, policyVersion, schemaVersion: 1 },
          },
        ],
        revision < 0 ? 'no_stream' : revision,
      );
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) throw new ConflictException('the SLA policy changed meanwhile; read it again and retry');
      throw error;
    }
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
