import { secondsToMs } from '../../shared/durations';
import { conflict } from '../../shared/errors';
import { Decider } from '../../shared/event-sourcing/decider';

/**
 * Issue 14: the public response-time supervision page (seed 001 "公开透明化"). A manager publishes a closed
 * month: the figures are frozen in a `MonthPublished` event; a later correction publishes a visible revision.
 * Agents appear under stable public aliases (assigned once, in order of first publication); no customer data.
 */
export const PUBLICATION_STREAM = 'sla-publication';

export interface PublicRow {
  /** Department name, or the agent's public alias. */
  key: string;
  detected: number;
  confirmed: number;
  exempted: number;
  medianFirstResponseSeconds: number | null;
  p90FirstResponseSeconds: number | null;
  /** The same in milliseconds (issue 16: one duration unit); absent in months published before. */
  medianFirstResponseMs?: number | null;
  p90FirstResponseMs?: number | null;
  points: number;
  actions: Record<string, number>;
  remedies: number;
}

export interface PublicFigures {
  month: string;
  timeZone: string;
  departments: PublicRow[];
  agents: PublicRow[];
  customerCompensation: {
    issued: number;
    byType: Record<string, number>;
    revoked: number;
    couponValue: { amount: number; currency: string };
    serviceUpgradeMonths: number;
    apologies: { owed: number; sent: number };
  };
}

export type MonthPublished = {
  type: 'MonthPublished';
  data: {
    month: string;
    revision: number;
    figures: PublicFigures;
    /** Aliases given now to agents published for the first time (internal: the page shows only the alias). */
    newAliases: Record<string, string>;
    reason: string | null;
    publishedBy: string;
    at: string;
  };
};

export interface PublicationState {
  months: Map<string, { revision: number; figures: PublicFigures; at: string; reason: string | null }[]>;
  aliases: Map<string, string>;
}

export interface InternalReport {
  month: string;
  timeZone: string;
  to: string;
  agents: PublicRow[];
  departments: PublicRow[];
  customerCompensation: PublicFigures['customerCompensation'];
}

export type PublishMonth = {
  type: 'PublishMonth';
  /** `names`: the policy says agents are shown by name (else under their stable alias). */
  data: { report: InternalReport; reason: string | null; by: string; at: string; names?: boolean };
};

export const initialPublication = (): PublicationState => ({ months: new Map(), aliases: new Map() });

export function evolvePublication(state: PublicationState, event: MonthPublished): PublicationState {
  const d = event.data;
  const months = new Map(state.months);
  months.set(d.month, [...(months.get(d.month) ?? []), { revision: d.revision, figures: d.figures, at: d.at, reason: d.reason }]);
  return { months, aliases: new Map([...state.aliases, ...Object.entries(d.newAliases)]) };
}

export const aliasFor = (n: number) => `Agent ${String(n).padStart(3, '0')}`;

export function decidePublication(state: PublicationState, command: PublishMonth): MonthPublished[] {
  const { report, reason, by, at } = command.data;
  if (Date.parse(at) < Date.parse(report.to)) throw conflict(`${report.month} is not closed yet: it ends at ${report.to}`);
  const newAliases: Record<string, string> = {};
  let next = state.aliases.size;
  const alias = (agentId: string) =>
    command.data.names ? agentId : (state.aliases.get(agentId) ?? (newAliases[agentId] ??= aliasFor(++next)));
  const figures: PublicFigures = {
    month: report.month,
    timeZone: report.timeZone,
    departments: report.departments.map((r) => publicRow(r, r.key)),
    agents: report.agents.filter((r) => r.key !== 'unassigned').map((r) => publicRow(r, alias(r.key))),
    customerCompensation: report.customerCompensation,
  };
  const history = state.months.get(report.month) ?? [];
  const latest = history.at(-1);
  if (latest) {
    // The …Ms fields are the …Seconds ones again: a month published before they existed is not changed by them.
    if (withoutMs(latest.figures) === withoutMs(figures)) throw conflict(`${report.month} is published and its figures are unchanged`);
    if (!reason) throw conflict(`${report.month} is already published: a correction needs a reason`);
  }
  return [
    {
      type: 'MonthPublished',
      data: { month: report.month, revision: history.length + 1, figures, newAliases, reason, publishedBy: by, at },
    },
  ];
}

const withoutMs = (figures: unknown) => JSON.stringify(figures, (key, value: unknown) => (key.endsWith('Ms') ? undefined : value));

const publicRow = (r: PublicRow, key: string): PublicRow => ({
  key,
  detected: r.detected,
  confirmed: r.confirmed,
  exempted: r.exempted,
  medianFirstResponseSeconds: r.medianFirstResponseSeconds,
  p90FirstResponseSeconds: r.p90FirstResponseSeconds,
  medianFirstResponseMs: secondsToMs(r.medianFirstResponseSeconds),
  p90FirstResponseMs: secondsToMs(r.p90FirstResponseSeconds),
  points: r.points,
  actions: r.actions,
  remedies: r.remedies,
});

export const publicationDecider: Decider<PublishMonth, MonthPublished, PublicationState> = {
  decide: (command, state) => decidePublication(state, command),
  evolve: evolvePublication,
  initialState: initialPublication,
};
