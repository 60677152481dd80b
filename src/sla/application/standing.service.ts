import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CLOCK, Clock } from '../../shared/clock';
import { forbidden } from '../../shared/errors';
import { Actor } from '../../shared/actor';
import { EVENT_STORE, EventStore, StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { FoldedStreamCache } from '../../shared/event-sourcing/folded-stream-cache';
import { handleCommand } from '../../shared/event-sourcing/handle-command';
import {
  evolvePenalties,
  initialPenaltyState,
  openSuspension,
  PenaltyCommand,
  penaltyDecider,
  PenaltyEvent,
  penaltyMonth,
  PenaltyState,
  penaltyStreamId,
  SubjectType,
} from '../domain/penalties';
import { SlaPolicyRegistry } from './sla-policy.registry';

export interface OpenAction {
  action: 'training' | 'improvement_report' | 'suspension';
  breachId: string;
  dueAt: string | null;
  status: string;
}

export interface Standing {
  subjectType: SubjectType;
  subjectId: string;
  /** Events of the standing's stream: its ETag, what If-Match on its writes compares with. */
  version: number;
  month: string;
  /** Points this month (negative: deducted), reversals excluded. */
  pointsThisMonth: number;
  /** Standing confirmed breaches this month: the rung reached on the ladder. */
  rung: number;
  suspended: { breachId: string; startsAt: string } | null;
  openActions: OpenAction[];
  history: { type: string; at: string; data: Record<string, unknown> }[];
}

/**
 * Issue 14: penalties that bind. An agent's or a department's standing, read from its own penalty stream
 * (consistent with the last write, no read model lag), the refusal of a suspended agent, and the standing
 * commands (training completed, improvement report submitted and reviewed).
 */
@Injectable()
export class StandingService {
  /**
   * Each agent's folded penalty stream, caught up from the last revision seen on every dispute command: one
   * small read of the log (never a read model), so a suspension written by any instance binds at once.
   */
  private readonly agents: FoldedStreamCache<PenaltyState>;

  constructor(
    @Inject(EVENT_STORE) private readonly log: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly policies: SlaPolicyRegistry,
  ) {
    this.agents = new FoldedStreamCache(log, evolveStored, initialPenaltyState);
  }

  private async load(type: SubjectType, id: string): Promise<{ state: PenaltyState; events: StoredEvent[] }> {
    const events = await this.log.readStream(penaltyStreamId(type, id));
    return { state: events.reduce(evolveStored, initialPenaltyState()), events };
  }

  /** 403 when a suspended agent acts, or a dispute is assigned to one. */
  async assertMayAct(actor: Actor, assignee: string | null): Promise<void> {
    if (actor.roles.includes('agent') && !actor.roles.some((r) => r === 'supervisor' || r === 'manager')) {
      const own = openSuspension(await this.agents.state(penaltyStreamId('agent', actor.id)));
      if (own) throw forbidden(suspendedMessage(actor.id, own.breachId));
    }
    if (assignee && assignee !== actor.id) {
      const theirs = openSuspension(await this.agents.state(penaltyStreamId('agent', assignee)));
      if (theirs) throw forbidden(`${suspendedMessage(assignee, theirs.breachId)}: disputes cannot be assigned to them`);
    }
  }

  async standing(type: SubjectType, id: string): Promise<Standing> {
    const { state, events } = await this.load(type, id);
    const { businessCalendar } = await this.policies.current();
    const now = this.clock.now().toISOString();
    const month = penaltyMonth(now, businessCalendar);
    const standing = [...state.applied.values()].filter((p) => p.month === month && !p.reversed);
    const suspended = openSuspension(state);
    const openActions: OpenAction[] = [];
    for (const [breachId, t] of state.trainings) {
      const p = state.applied.get(breachId);
      if (t.completedAt === null && p && !p.reversed && p.actions.includes('training'))
        openActions.push({ action: 'training', breachId, dueAt: t.dueAt, status: t.dueAt < now ? 'overdue' : 'due' });
    }
    if (suspended) {
      const report = state.reports.filter((r) => r.breachId === suspended.breachId).at(-1);
      openActions.push({
        action: 'suspension',
        breachId: suspended.breachId,
        dueAt: null,
        status: 'until an improvement report is approved',
      });
      openActions.push({ action: 'improvement_report', breachId: suspended.breachId, dueAt: null, status: report?.status ?? 'owed' });
    }
    return {
      subjectType: type,
      subjectId: id,
      version: events.length,
      month,
      pointsThisMonth: standing.reduce((n, p) => n + p.points, 0),
      rung: standing.length,
      suspended,
      openActions,
      history: events.map((e) => ({ type: e.type, at: e.occurredAt, data: e.data })),
    };
  }

  /** `ifMatch` (each write): the standing's `version` the caller read; 412 when the standing moved on. */
  completeTraining(agentId: string, breachId: string, actor: Actor, ifMatch?: number) {
    return this.run(agentId, actor, { type: 'CompleteTraining', data: { breachId, by: actor.id, at: this.now() } }, ifMatch);
  }

  submitReport(agentId: string, causes: string, fixes: string, actor: Actor, ifMatch?: number) {
    const reportId = randomUUID();
    return this.run(
      agentId,
      actor,
      { type: 'SubmitImprovementReport', data: { agentId, reportId, causes, fixes, by: actor.id, at: this.now() } },
      ifMatch,
    );
  }

  reviewReport(agentId: string, reportId: string, approve: boolean, note: string | null, actor: Actor, ifMatch?: number) {
    return this.run(
      agentId,
      actor,
      { type: 'ReviewImprovementReport', data: { reportId, approve, by: actor.id, note, at: this.now() } },
      ifMatch,
    );
  }

  private now = () => this.clock.now().toISOString();

  private async run(agentId: string, actor: Actor, command: PenaltyCommand, ifMatch?: number): Promise<Standing> {
    const commandId = randomUUID();
    await handleCommand(this.log, penaltyStreamId('agent', agentId), penaltyDecider, command, {
      expectedVersion: ifMatch,
      versionOf: "the agent's standing version",
      metadata: () => ({
        actorId: actor.id,
        actorRoles: actor.roles,
        commandId,
        commandType: command.type,
        correlationId: commandId,
        causationId: null,
        policyVersion: null,
        schemaVersion: 1,
      }),
    });
    return this.standing('agent', agentId);
  }
}

const evolveStored = (state: PenaltyState, e: StoredEvent) => evolvePenalties(state, { type: e.type, data: e.data } as PenaltyEvent);

const suspendedMessage = (agentId: string, breachId: string) =>
  `agent ${agentId} is suspended (breach ${breachId}) until their improvement report is approved`;
