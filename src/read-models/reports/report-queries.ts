import { secondsToMs } from '../../shared/durations';
import { Kysely, sql } from 'kysely';
import { ReadSchema } from '../read-schema';

export type CompensationGroup = 'type' | 'category' | 'department' | 'month';

/** Compensation paid in [from, to), summed by type, category, department or month of payment. */
export async function compensationReport(db: Kysely<ReadSchema>, from: string, to: string, groupBy: CompensationGroup) {
  const key =
    groupBy === 'month'
      ? sql<string>`substr(paid_at, 1, 7)`
      : groupBy === 'department'
        ? sql<string>`coalesce(department, 'unassigned')`
        : sql<string>`${sql.ref(groupBy)}`;
  const rows = await db
    .selectFrom('compensations')
    .select([key.as('key'), (eb) => eb.fn.countAll<number>().as('count'), (eb) => eb.fn.sum<number>('amount').as('amount')])
    .where('status', '=', 'paid')
    .where('paid_at', '>=', from)
    .where('paid_at', '<', to)
    .groupBy(key)
    .orderBy(key)
    .execute();
  return {
    rows: rows.map((r) => ({ key: r.key, count: Number(r.count), amount: { amount: Number(r.amount), currency: 'CNY' as const } })),
  };
}

const STAGE_COLUMNS = {
  acknowledged: 'acknowledged_at',
  negotiation: 'negotiated_at',
  mediation: 'mediated_at',
  arbitration: 'arbitrated_at',
  litigation: 'litigated_at',
  compensated: 'compensated_at',
  closed: 'closed_at',
  rejected: 'rejected_at',
  withdrawn: 'withdrawn_at',
} as const;

/** For disputes filed in [from, to): how many reached each stage, escalation rates, median time to resolution. */
export async function funnelReport(db: Kysely<ReadSchema>, from: string, to: string) {
  const rows = await db
    .selectFrom('disputes')
    .select(['filed_at', 'resolved_at', ...Object.values(STAGE_COLUMNS)])
    .where('filed_at', '>=', from)
    .where('filed_at', '<', to)
    .execute();
  const filed = rows.length;
  const reached = Object.fromEntries(
    Object.entries(STAGE_COLUMNS).map(([stage, column]) => [
      stage,
      rows.filter((r) => (r as Record<string, unknown>)[column] !== null).length,
    ]),
  ) as Record<keyof typeof STAGE_COLUMNS, number>;
  const rate = (n: number) => (filed === 0 ? 0 : Math.round((n / filed) * 10_000) / 10_000);
  const escalated = rows.filter((r) => r.mediated_at !== null || r.arbitrated_at !== null || r.litigated_at !== null).length;
  const durations = rows
    .filter((r) => r.resolved_at !== null)
    .map((r) => (Date.parse(r.resolved_at!) - Date.parse(r.filed_at)) / 1000)
    .sort((a, b) => a - b);
  return {
    from,
    to,
    stages: { filed, ...reached },
    escalationRates: {
      any: rate(escalated),
      mediation: rate(reached.mediation),
      arbitration: rate(reached.arbitration),
      litigation: rate(reached.litigation),
    },
    resolved: durations.length,
    medianTimeToResolutionSeconds: median(durations),
    medianTimeToResolutionMs: secondsToMs(median(durations)),
  };
}

export function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
