import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CLOCK, Clock } from '../../shared/clock';
import { invalidFields } from '../../common/http/validation';
import { Actor } from '../../shared/actor';
import { EVENT_STORE, EventStore } from '../../shared/event-sourcing/event-store.port';
import { handleCommand } from '../../shared/event-sourcing/handle-command';
import { PreconditionFailedError } from '../../shared/event-sourcing/command-errors';
import { conflict } from '../../shared/errors';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { SLA_POLICY_STREAM, SlaPolicyCommand, slaPolicyDecider, SlaPolicyEvent, SlaPolicyState } from '../domain/sla-policy.events';
import { SlaPolicy, validatePeakWindow, validateSlaPolicy } from '../domain/sla-policy';
import { PENALTY_PROCESSOR } from './penalty-processor';
import { SlaPolicyRegistry } from './sla-policy.registry';
import { toIsoInstant } from '../../shared/instants';

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

  /** `ifMatch`: the policy version the admin read (If-Match); 412 unless it is still the one in force. */
  async changePolicy(body: Record<string, unknown>, actor: Actor, ifMatch?: number): Promise<SlaPolicy> {
    const { version: _ignored, reason, ...policy } = body as Record<string, unknown> & { version?: unknown; reason?: unknown };
    const errors = validateSlaPolicy(policy);
    if (errors.length) throw invalidFields('policy', errors);
    const { state } = await this.execute(
      {
        type: 'ChangeSlaPolicy',
        data: {
          policy: policy as unknown as Omit<SlaPolicy, 'version'>,
          reason: typeof reason === 'string' ? reason : null,
          at: this.now(),
        },
      },
      actor,
      ifMatch,
    );
    return this.registry.version(state.current.version);
  }

  /** `ifMatch`: the policy version the window was planned against (If-Match); 412 unless it is still in force. */
  async announcePeakWindow(body: { start: string; end: string; extensionPercent: number; reason: string }, actor: Actor, ifMatch?: number) {
    const errors = validatePeakWindow(body);
    if (Date.parse(body.start) <= this.clock.now().getTime())
      errors.push('start: a peak window is announced in advance, so it must start in the future');
    if (errors.length) throw invalidFields('peak window', errors);
    const window = {
      windowId: randomUUID(),
      start: toIsoInstant(body.start),
      end: toIsoInstant(body.end),
      extensionPercent: body.extensionPercent,
      reason: body.reason,
      at: this.now(),
    };
    await this.execute({ type: 'AnnouncePeakWindow', data: window }, actor, ifMatch);
    await this.registry.refresh();
    return window;
  }

  /**
   * A new version each time, appended with the expected revision so two admins cannot both become version
   * n+1: the loser is told to read the policy again (no silent retry on someone else's change).
   */
  private execute(command: SlaPolicyCommand, actor: Actor, ifMatch?: number) {
    const subject = 'the SLA policy version';
    const checked = ({ state }: { state: SlaPolicyState }): SlaPolicyCommand => {
      if (ifMatch !== undefined && state.current.version !== ifMatch)
        throw new PreconditionFailedError(ifMatch, state.current.version, subject);
      return command;
    };
    return handleCommand(this.log, SLA_POLICY_STREAM, slaPolicyDecider, checked, {
      maxAttempts: 1,
      // A lost race (a peak window may not change the version, so not necessarily a 412): read it again.
      exhausted: () => conflict('the SLA policy changed meanwhile; read it again and retry'),
      metadata: (event: SlaPolicyEvent, _command, state: SlaPolicyState) => ({
        actorId: actor.id,
        actorRoles: actor.roles,
        commandId: randomUUID(),
        correlationId: randomUUID(),
        causationId: null,
        policyVersion: event.type === 'SlaPolicyChanged' ? event.data.version : state.current.version,
        schemaVersion: 1,
      }),
    });
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
