import { addWorkingDays } from './business-calendar';
import { BusinessCalendar } from './sla-policy';

/**
 * The penalty ladder (DOMAIN.md "SLA breaches and their consequences"), one function read by the penalty
 * decider, the what-if and the reports: what the n-th standing (confirmed, not exempted) breach of a month
 * brings its agent or department. Exempting an earlier breach moves the later ones down a rung.
 */
export type SubjectType = 'agent' | 'department';
export type PenaltyAction = 'points_deducted' | 'warning' | 'training' | 'suspension' | 'improvement_report' | 'notice_of_criticism';

export const PENALTY_RULES = {
  agent: { points: -2, warningAt: 1, trainingDueWorkingDays: 3, suspensionAt: 3, suspensionWorkingDays: 2 },
  department: { points: -1, noticeAt: 10 },
} as const;

export interface Rung {
  points: number;
  actions: PenaltyAction[];
  trainingDueAt: string | null;
  suspension: { workingDays: number; startsAt: string } | null;
}

/** The actions of the `rank`-th standing breach in the month (1-based). */
export function rungActions(subjectType: SubjectType, rank: number): PenaltyAction[] {
  const actions: PenaltyAction[] = ['points_deducted'];
  if (subjectType === 'department') {
    if (rank === PENALTY_RULES.department.noticeAt) actions.push('notice_of_criticism');
    return actions;
  }
  if (rank === PENALTY_RULES.agent.warningAt) actions.push('warning', 'training');
  if (rank === PENALTY_RULES.agent.suspensionAt) actions.push('suspension', 'improvement_report');
  return actions;
}

/** The rung of the `rank`-th standing breach in the month, decided at `at`: its points, actions and dates. */
export function penaltyRung(subjectType: SubjectType, rank: number, at: string, calendar: BusinessCalendar): Rung {
  const actions = rungActions(subjectType, rank);
  const rules = PENALTY_RULES.agent;
  return {
    points: subjectType === 'agent' ? rules.points : PENALTY_RULES.department.points,
    actions,
    trainingDueAt: actions.includes('training') ? addWorkingDays(new Date(at), rules.trainingDueWorkingDays, calendar).toISOString() : null,
    suspension: actions.includes('suspension')
      ? { workingDays: rules.suspensionWorkingDays, startsAt: addWorkingDays(new Date(at), 1, calendar).toISOString() }
      : null,
  };
}

/** The ladder as a fold: each standing breach of the month, in order, with its rank and rung actions. */
export function ladder<T>(standing: readonly T[], subjectType: SubjectType): { item: T; rank: number; actions: PenaltyAction[] }[] {
  return standing.map((item, i) => ({ item, rank: i + 1, actions: rungActions(subjectType, i + 1) }));
}
