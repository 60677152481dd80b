import { DisputeState } from '../../disputes/domain/dispute.state';
import { Pseudonymizer } from '../../privacy/pseudonym';

/** An event as the statistics read it: enough to fold a dispute and to name the event in a lineage. */
export interface HistoryEvent {
  eventId: string;
  position: number;
  type: string;
  data: Record<string, unknown>;
  /** When the log recorded it (metadata.recordedAt when present, else the stored time): what asKnownAt cuts on. */
  recordedAt: string;
}

/** One dispute as known at some time: its events up to then and their fold. */
export interface DisputeHistory {
  state: DisputeState;
  events: readonly HistoryEvent[];
}

/** Unit costs the cost report prices non-money remedies with (REPORT_* env, src/read-models/statistics/cost-settings.ts). */
export interface CostSettings {
  /** Percent of the order amount a coupon is worth when its reason names no percentage (default 10). */
  couponPercent: number;
  /** Cost of one service upgrade, in minor units (fen). */
  serviceUpgradeCost: number;
}

export interface StatParams {
  groupBy: string;
  costs: CostSettings;
  pseudonyms: Pseudonymizer;
}

/** Figures per group key, with the disputes that made them (the lineage). */
export class Groups<A> {
  private readonly map = new Map<string, { acc: A; disputes: Set<string> }>();

  constructor(private readonly init: () => A) {}

  /** The accumulator of `key`, noting that `disputeId` contributes to it. */
  at(key: string, disputeId: string): A {
    let group = this.map.get(key);
    if (!group) this.map.set(key, (group = { acc: this.init(), disputes: new Set() }));
    group.disputes.add(disputeId);
    return group.acc;
  }

  entries(): { key: string; acc: A; disputeIds: string[] }[] {
    return [...this.map]
      .map(([key, g]) => ({ key, acc: g.acc, disputeIds: [...g.disputes].sort() }))
      .sort((a, b) => a.key.localeCompare(b.key));
  }
}

/**
 * A statistics report: pure, from dispute histories to rows keyed by the group. `reads` names the event types
 * its figures come from (a row's lineage lists those events of its disputes; `*`: every event of them).
 */
export interface StatReport<A = unknown, R extends object = object> {
  name: string;
  description: string;
  groupBys: readonly string[];
  reads: readonly string[] | '*';
  init(): A;
  add(groups: Groups<A>, history: DisputeHistory, params: StatParams): void;
  row(acc: A, key: string, params: StatParams): R;
  /** Which groups become rows (default: all). */
  keep?(acc: A): boolean;
}

export type StatRow = { key: string; disputes: number } & Record<string, unknown>;

export interface ComputedReport {
  rows: StatRow[];
  /** The disputes behind each row, by key. */
  lineage: Map<string, string[]>;
}

export async function computeReport(
  report: StatReport<any, object>,
  histories: AsyncIterable<DisputeHistory> | Iterable<DisputeHistory>,
  params: StatParams,
): Promise<ComputedReport> {
  const groups = new Groups(() => report.init());
  for await (const history of histories) report.add(groups, history, params);
  const rows: StatRow[] = [];
  const lineage = new Map<string, string[]>();
  for (const { key, acc, disputeIds } of groups.entries()) {
    if (report.keep && !report.keep(acc)) continue;
    rows.push({ key, disputes: disputeIds.length, ...report.row(acc, key, params) });
    lineage.set(key, disputeIds);
  }
  return { rows, lineage };
}

/** The events of a history a report's row reads (its lineage). */
export const eventsRead = (report: StatReport<any, object>, history: DisputeHistory): HistoryEvent[] =>
  report.reads === '*' ? [...history.events] : history.events.filter((e) => (report.reads as readonly string[]).includes(e.type));

export const rate = (n: number, of: number) => (of === 0 ? null : Math.round((n / of) * 10_000) / 10_000);
export const increment = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};
export const UNASSIGNED = 'unassigned';

/** The group key of a dispute for the common dimensions. */
export function dimensionOf(state: DisputeState, groupBy: string): string {
  switch (groupBy) {
    case 'category':
      return state.filing.category;
    case 'channel':
      return state.filing.channel;
    case 'department':
      return state.department ?? UNASSIGNED;
    case 'agent':
      return state.assignee ?? UNASSIGNED;
    case 'month':
      return state.filedAt.slice(0, 7);
    default:
      throw new Error(`unknown groupBy ${groupBy}`);
  }
}
