import { conflict, forbidden, notFound } from '../../shared/errors';

/**
 * Issue 14: penalties that bind. Training is completed; the suspended agent writes an improvement report
 * (causes and fixes) that a supervisor approves or sends back; approval reinstates the agent. Events on the
 * agent's own penalty stream (`agent-<id>`), next to the penalties they answer.
 */
export type TrainingCompleted = { type: 'TrainingCompleted'; data: { breachId: string; completedBy: string; at: string } };
export type ImprovementReportSubmitted = {
  type: 'ImprovementReportSubmitted';
  data: { reportId: string; breachId: string; causes: string; fixes: string; submittedBy: string; at: string };
};
export type ImprovementReportApproved = {
  type: 'ImprovementReportApproved';
  data: { reportId: string; approvedBy: string; note: string | null; at: string };
};
export type ImprovementReportReturned = {
  type: 'ImprovementReportReturned';
  data: { reportId: string; returnedBy: string; reason: string; at: string };
};
export type AgentReinstated = { type: 'AgentReinstated'; data: { breachId: string; reportId: string; reinstatedBy: string; at: string } };
export type StandingEvent =
  TrainingCompleted | ImprovementReportSubmitted | ImprovementReportApproved | ImprovementReportReturned | AgentReinstated;

export type StandingCommand =
  | { type: 'CompleteTraining'; data: { breachId: string; by: string; at: string } }
  | { type: 'SubmitImprovementReport'; data: { agentId: string; reportId: string; causes: string; fixes: string; by: string; at: string } }
  | { type: 'ReviewImprovementReport'; data: { reportId: string; approve: boolean; by: string; note: string | null; at: string } };

export interface ImprovementReport {
  reportId: string;
  breachId: string;
  causes: string;
  fixes: string;
  status: 'submitted' | 'approved' | 'returned';
  submittedAt: string;
  reviewedBy: string | null;
  reviewNote: string | null;
}

/** What the standing events add to a penalty stream's state. */
export interface StandingState {
  trainings: Map<string, { dueAt: string; completedAt: string | null }>;
  reports: ImprovementReport[];
  reinstated: Set<string>;
}

/** Open (standing) suspensions: breach ids whose suspension stands and was not ended by a reinstatement. */
export interface SuspensionView {
  breachId: string;
  startsAt: string;
}

export function evolveStanding<S extends StandingState>(state: S, event: StandingEvent): S {
  switch (event.type) {
    case 'TrainingCompleted': {
      const trainings = new Map(state.trainings);
      const t = trainings.get(event.data.breachId);
      if (t) trainings.set(event.data.breachId, { ...t, completedAt: event.data.at });
      return { ...state, trainings };
    }
    case 'ImprovementReportSubmitted': {
      const d = event.data;
      const report: ImprovementReport = {
        reportId: d.reportId,
        breachId: d.breachId,
        causes: d.causes,
        fixes: d.fixes,
        status: 'submitted',
        submittedAt: d.at,
        reviewedBy: null,
        reviewNote: null,
      };
      return { ...state, reports: [...state.reports, report] };
    }
    case 'ImprovementReportApproved':
    case 'ImprovementReportReturned': {
      const d = event.data;
      const approved = event.type === 'ImprovementReportApproved';
      const reports = state.reports.map((r) =>
        r.reportId === d.reportId
          ? {
              ...r,
              status: approved ? ('approved' as const) : ('returned' as const),
              reviewedBy: approved ? event.data.approvedBy : event.data.returnedBy,
              reviewNote: approved ? event.data.note : event.data.reason,
            }
          : r,
      );
      return { ...state, reports };
    }
    case 'AgentReinstated':
      return { ...state, reinstated: new Set([...state.reinstated, event.data.breachId]) };
  }
}

export function decideStanding(state: StandingState, open: SuspensionView | null, command: StandingCommand): StandingEvent[] {
  switch (command.type) {
    case 'CompleteTraining': {
      const t = state.trainings.get(command.data.breachId);
      if (!t) throw notFound(`no training is owed for breach ${command.data.breachId}`);
      if (t.completedAt) throw conflict(`the training for breach ${command.data.breachId} was completed at ${t.completedAt}`);
      return [{ type: 'TrainingCompleted', data: { breachId: command.data.breachId, completedBy: command.data.by, at: command.data.at } }];
    }
    case 'SubmitImprovementReport': {
      const d = command.data;
      if (d.by !== d.agentId) throw forbidden('only the suspended agent writes their improvement report');
      if (!open) throw conflict(`agent ${d.agentId} is not suspended: no improvement report is owed`);
      if (state.reports.some((r) => r.breachId === open.breachId && r.status === 'submitted'))
        throw conflict('an improvement report awaits review');
      if (state.reports.some((r) => r.reportId === d.reportId)) throw conflict(`report ${d.reportId} exists`);
      return [
        {
          type: 'ImprovementReportSubmitted',
          data: { reportId: d.reportId, breachId: open.breachId, causes: d.causes, fixes: d.fixes, submittedBy: d.by, at: d.at },
        },
      ];
    }
    case 'ReviewImprovementReport': {
      const d = command.data;
      const report = state.reports.find((r) => r.reportId === d.reportId);
      if (!report) throw notFound(`improvement report ${d.reportId} not found`);
      if (report.status !== 'submitted') throw conflict(`improvement report ${d.reportId} was already ${report.status}`);
      if (!d.approve) {
        if (!d.note) throw conflict('sending a report back needs a reason');
        return [{ type: 'ImprovementReportReturned', data: { reportId: d.reportId, returnedBy: d.by, reason: d.note, at: d.at } }];
      }
      return [
        { type: 'ImprovementReportApproved', data: { reportId: d.reportId, approvedBy: d.by, note: d.note, at: d.at } },
        { type: 'AgentReinstated', data: { breachId: report.breachId, reportId: d.reportId, reinstatedBy: d.by, at: d.at } },
      ];
    }
  }
}
