import { Decider } from '../../shared/event-sourcing/decider';
import { DateTime } from 'luxon';
import { BusinessCalendar } from './sla-policy';
import { ladder, PenaltyAction, penaltyRung, SubjectType } from './penalty-ladder';
import { decideStanding, evolveStanding, StandingCommand, StandingEvent, StandingState, SuspensionView } from './standing';

export { PENALTY_RULES } from './penalty-ladder';
export type { PenaltyAction, SubjectType } from './penalty-ladder';

/**
 * Internal penalties for confirmed breaches (DOMAIN.md "SLA breaches and their consequences"), recorded in
 * the agent's and the department's own streams (`agent-<id>`, `department-<id>`), per calendar month. The
 * rungs are a fold over the month's standing breaches (penalty-ladder.ts): exempting one re-decides the later.
 */
export const penaltyStreamId = (type: SubjectType, id: string) => `${type}-${id}`;

export type PenaltyApplied = {
  type: 'PenaltyApplied';
  data: {
    subjectType: SubjectType;
    subjectId: string;
    breachId: string;
    disputeId: string;
    channel: string | null;
    month: string;
    points: number;
    /** This confirmed breach's rank in the month, reversals excluded. */
    confirmedInMonth: number;
    actions: PenaltyAction[];
    trainingDueAt: string | null;
    suspension: { workingDays: number; startsAt: string } | null;
    at: string;
    /** Issue 14: re-issued at a new rung because this earlier breach of the month was exempted. */
    recomputedAfter?: string;
  };
};
export type PenaltyReversed = {
  type: 'PenaltyReversed';
  data: {
    subjectType: SubjectType;
    subjectId: string;
    breachId: string;
    pointsRestored: number;
    actionsWithdrawn: PenaltyAction[];
    reason: string;
    at: string;
  };
};
export type PenaltyEvent = PenaltyApplied | PenaltyReversed | StandingEvent;

export interface AppliedPenalty {
  month: string;
  points: number;
  actions: PenaltyAction[];
  reversed: boolean;
  /** Issue 14: an exempted breach (its penalty is gone for good, never re-issued). */
  exempted: boolean;
  data: PenaltyApplied['data'];
}

export interface PenaltyState extends StandingState {
  /** In order of first application: the order of the ladder. */
  applied: Map<string, AppliedPenalty>;
}

export const initialPenaltyState = (): PenaltyState => ({ applied: new Map(), trainings: new Map(), reports: [], reinstated: new Set() });

export function evolvePenalties(state: PenaltyState, event: PenaltyEvent): PenaltyState {
  const applied = new Map(state.applied);
  switch (event.type) {
    case 'PenaltyApplied': {
      const d = event.data;
      applied.set(d.breachId, { month: d.month, points: d.points, actions: d.actions, reversed: false, exempted: false, data: d });
      const trainings = new Map(state.trainings ?? []);
      if (d.trainingDueAt && !trainings.has(d.breachId)) trainings.set(d.breachId, { dueAt: d.trainingDueAt, completedAt: null });
      return { ...state, applied, trainings };
    }
    case 'PenaltyReversed': {
      const previous = applied.get(event.data.breachId);
      const exempted = !event.data.reason.startsWith(RECOMPUTED);
      if (previous) applied.set(event.data.breachId, { ...previous, reversed: true, exempted: previous.exempted || exempted });
      return { ...state, applied };
    }
    default:
      return evolveStanding(state, event);
  }
}

const RECOMPUTED = 'ladder recomputed';

/** The month a breach counts in: its detection's month in the business calendar's zone. */
export function penaltyMonth(detectedAt: string, calendar: BusinessCalendar): string {
  return DateTime.fromISO(detectedAt, { zone: calendar.timeZone }).toFormat('yyyy-LL');
}

export interface PenaltyInput {
  subjectType: SubjectType;
  subjectId: string;
  breachId: string;
  disputeId: string;
  channel: string | null;
  detectedAt: string;
  at: string;
  calendar: BusinessCalendar;
}

const standingIn = (state: PenaltyState, month: string) => [...state.applied.entries()].filter(([, p]) => p.month === month && !p.exempted);

/** Once per breach and subject: the rung of its rank among the month's standing breaches. */
export function decidePenalty(state: PenaltyState, input: PenaltyInput): PenaltyEvent[] {
  if (state.applied.has(input.breachId)) return [];
  const month = penaltyMonth(input.detectedAt, input.calendar);
  const rank = standingIn(state, month).length + 1;
  const rung = penaltyRung(input.subjectType, rank, input.at, input.calendar);
  return [{ type: 'PenaltyApplied', data: { ...pick(input), month, confirmedInMonth: rank, ...rung, at: input.at } }];
}

/**
 * An exemption after the penalty was executed: points restored and actions withdrawn, never an edit; then
 * the month's ladder folded again without it, and every later breach whose rung changed re-issued.
 */
export function decideReversal(state: PenaltyState, input: ReversalInput): PenaltyEvent[] {
  const applied = state.applied.get(input.breachId);
  if (!applied || applied.exempted) return [];
  const { subjectType, subjectId, at } = input;
  const events: PenaltyEvent[] = [reversal(applied, input.reason, input)];
  const after = standingIn(state, applied.month).filter(([id]) => id !== input.breachId);
  for (const {
    item: [id, p],
    rank,
    actions,
  } of ladder(after, subjectType)) {
    if (p.data.confirmedInMonth === rank && !p.reversed) continue;
    events.push(reversal(p, `${RECOMPUTED}: breach ${input.breachId} was exempted`, { subjectType, subjectId, breachId: id, at }));
    const rung = penaltyRung(subjectType, rank, at, input.calendar);
    events.push({
      type: 'PenaltyApplied',
      data: { ...p.data, ...rung, actions, confirmedInMonth: rank, at, recomputedAfter: input.breachId },
    });
  }
  return events;
}

function reversal(p: AppliedPenalty, reason: string, who: { subjectType: SubjectType; subjectId: string; breachId: string; at: string }) {
  return {
    type: 'PenaltyReversed' as const,
    data: {
      ...who,
      pointsRestored: p.reversed ? 0 : -p.points,
      actionsWithdrawn: p.reversed ? [] : p.actions.filter((a) => a !== 'points_deducted'),
      reason,
    },
  };
}

const pick = (i: PenaltyInput) => ({
  subjectType: i.subjectType,
  subjectId: i.subjectId,
  breachId: i.breachId,
  disputeId: i.disputeId,
  channel: i.channel,
});

export type ReversalInput = {
  subjectType: SubjectType;
  subjectId: string;
  breachId: string;
  reason: string;
  at: string;
  calendar: BusinessCalendar;
};
export type PenaltyCommand =
  { type: 'ApplyPenalty'; data: PenaltyInput } | { type: 'ReversePenalty'; data: ReversalInput } | StandingCommand;

/** The agent's open suspension: a standing penalty with a suspension, not ended by a reinstatement. */
export function openSuspension(state: PenaltyState): SuspensionView | null {
  for (const [breachId, p] of state.applied)
    if (!p.reversed && p.data.suspension && !state.reinstated.has(breachId)) return { breachId, startsAt: p.data.suspension.startsAt };
  return null;
}

/** An agent's or a department's penalty stream in the toolkit's shape (shared/event-sourcing). */
export const penaltyDecider: Decider<PenaltyCommand, PenaltyEvent, PenaltyState> = {
  decide: (command, state) => {
    switch (command.type) {
      case 'ApplyPenalty':
        return decidePenalty(state, command.data);
      case 'ReversePenalty':
        return decideReversal(state, command.data);
      default:
        return decideStanding(state, openSuspension(state), command);
    }
  },
  evolve: evolvePenalties,
  initialState: initialPenaltyState,
};
