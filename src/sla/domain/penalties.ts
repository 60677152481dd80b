import { Decider } from '../../shared/event-sourcing/decider';
import { DateTime } from 'luxon';
import { addWorkingDays } from './business-calendar';
import { BusinessCalendar } from './sla-policy';

/**
 * Internal penalties for confirmed breaches (DOMAIN.md "SLA breaches and their consequences"), recorded in
 * the agent's and the department's own streams (`agent-<id>`, `department-<id>`), per calendar month.
 */
export type SubjectType = 'agent' | 'department';
export const penaltyStreamId = (type: SubjectType, id: string) => `${type}-${id}`;

export const PENALTY_RULES = {
  agent: { points: -2, warningAt: 1, trainingDueWorkingDays: 3, suspensionAt: 3, suspensionWorkingDays: 2 },
  department: { points: -1, noticeAt: 10 },
} as const;

export type PenaltyAction = 'points_deducted' | 'warning' | 'training' | 'suspension' | 'improvement_report' | 'notice_of_criticism';

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
export type PenaltyEvent = PenaltyApplied | PenaltyReversed;

export interface PenaltyState {
  applied: Map<string, { month: string; points: number; actions: PenaltyAction[]; reversed: boolean }>;
}

export const initialPenaltyState = (): PenaltyState => ({ applied: new Map() });

export function evolvePenalties(state: PenaltyState, event: PenaltyEvent): PenaltyState {
  const applied = new Map(state.applied);
  switch (event.type) {
    case 'PenaltyApplied':
      applied.set(event.data.breachId, {
        month: event.data.month,
        points: event.data.points,
        actions: event.data.actions,
        reversed: false,
      });
      return { applied };
    case 'PenaltyReversed': {
      const previous = applied.get(event.data.breachId);
      if (previous) applied.set(event.data.breachId, { ...previous, reversed: true });
      return { applied };
    }
  }
}

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

/** Once per breach and subject: points always; a warning and training at the month's 1st, suspension at its 3rd (agents); a notice at the 10th (departments). */
export function decidePenalty(state: PenaltyState, input: PenaltyInput): PenaltyEvent[] {
  if (state.applied.has(input.breachId)) return [];
  const month = penaltyMonth(input.detectedAt, input.calendar);
  const rank = [...state.applied.values()].filter((p) => p.month === month && !p.reversed).length + 1;
  const actions: PenaltyAction[] = ['points_deducted'];
  let trainingDueAt: string | null = null;
  let suspension: PenaltyApplied['data']['suspension'] = null;
  let points: number;
  if (input.subjectType === 'agent') {
    const rules = PENALTY_RULES.agent;
    points = rules.points;
    if (rank === rules.warningAt) {
      actions.push('warning', 'training');
      trainingDueAt = addWorkingDays(new Date(input.at), rules.trainingDueWorkingDays, input.calendar).toISOString();
    }
    if (rank === rules.suspensionAt) {
      actions.push('suspension', 'improvement_report');
      suspension = {
        workingDays: rules.suspensionWorkingDays,
        startsAt: addWorkingDays(new Date(input.at), 1, input.calendar).toISOString(),
      };
    }
  } else {
    points = PENALTY_RULES.department.points;
    if (rank === PENALTY_RULES.department.noticeAt) actions.push('notice_of_criticism');
  }
  return [
    {
      type: 'PenaltyApplied',
      data: { ...pick(input), month, points, confirmedInMonth: rank, actions, trainingDueAt, suspension, at: input.at },
    },
  ];
}

/** An exemption after the penalty was executed: points restored and actions withdrawn, never an edit. */
export function decideReversal(state: PenaltyState, input: ReversalInput): PenaltyEvent[] {
  const applied = state.applied.get(input.breachId);
  if (!applied || applied.reversed) return [];
  return [
    {
      type: 'PenaltyReversed',
      data: { ...input, pointsRestored: -applied.points, actionsWithdrawn: applied.actions.filter((a) => a !== 'points_deducted') },
    },
  ];
}

const pick = (i: PenaltyInput) => ({
  subjectType: i.subjectType,
  subjectId: i.subjectId,
  breachId: i.breachId,
  disputeId: i.disputeId,
  channel: i.channel,
});

export type ReversalInput = { subjectType: SubjectType; subjectId: string; breachId: string; reason: string; at: string };
export type PenaltyCommand = { type: 'ApplyPenalty'; data: PenaltyInput } | { type: 'ReversePenalty'; data: ReversalInput };

/** An agent's or a department's penalty stream in the toolkit's shape (shared/event-sourcing). */
export const penaltyDecider: Decider<PenaltyCommand, PenaltyEvent, PenaltyState> = {
  decide: (command, state) => (command.type === 'ApplyPenalty' ? decidePenalty(state, command.data) : decideReversal(state, command.data)),
  evolve: evolvePenalties,
  initialState: initialPenaltyState,
};
