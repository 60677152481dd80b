import { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { ReadSchema } from '../read-schema';
import { median } from '../reports/report-queries';
import { secondsToMs } from '../../shared/durations';
import { couponValue as couponValueOf, SERVICE_UPGRADE_MONTHS } from '../../sla/domain/breach-remedies';

export type BreachGroup = 'agent' | 'department' | 'channel';

export interface BreachReportRow {
  key: string;
  detected: number;
  confirmed: number;
  exempted: number;
  medianFirstResponseSeconds: number | null;
  p90FirstResponseSeconds: number | null;
  /** The same two durations in milliseconds (the API's one duration unit). */
  medianFirstResponseMs: number | null;
  p90FirstResponseMs: number | null;
  /** Penalty points of the period's breaches (negative: deducted), reversals excluded. */
  points: number;
  /** Penalty actions taken, by kind (warning, training, suspension, notice_of_criticism, …). */
  actions: Record<string, number>;
  /** Issue 14: customer remedies the period's breaches stand to owe (revoked ones excluded). */
  remedies: number;
}

const UNASSIGNED = 'unassigned';

/** Breaches detected and first responses to disputes filed in [from, to), by agent, department or channel. */
export async function breachReport(
  db: Kysely<ReadSchema>,
  from: string,
  to: string,
  groupBy: BreachGroup,
): Promise<{ rows: BreachReportRow[] }> {
  const breachKey = groupBy === 'agent' ? 'assignee' : groupBy;
  const breaches = await db
    .selectFrom('sla_breaches')
    .select(['breach_id', 'status', 'assignee', 'department', 'channel'])
    .where('detected_at', '>=', from)
    .where('detected_at', '<', to)
    .execute();
  const responses = await db
    .selectFrom('disputes')
    .select(['assignee', 'department', 'channel', 'first_response_seconds'])
    .where('filed_at', '>=', from)
    .where('filed_at', '<', to)
    .where('first_response_seconds', 'is not', null)
    .execute();
  const breachIds = breaches.map((b) => b.breach_id);
  const penalties = breachIds.length
    ? await db.selectFrom('sla_penalties').selectAll().where('breach_id', 'in', breachIds).where('reversed_at', 'is', null).execute()
    : [];
  const rows = new Map<string, BreachReportRow & { times: number[] }>();
  const row = (key: string | null) => {
    const k = key ?? UNASSIGNED;
    if (!rows.has(k))
      rows.set(k, {
        key: k,
        detected: 0,
        confirmed: 0,
        exempted: 0,
        medianFirstResponseSeconds: null,
        p90FirstResponseSeconds: null,
        medianFirstResponseMs: null,
        p90FirstResponseMs: null,
        points: 0,
        actions: {},
        remedies: 0,
        times: [],
      });
    return rows.get(k)!;
  };
  const keyOfBreach = new Map<string, string | null>();
  for (const b of breaches) {
    const key = b[breachKey as 'assignee' | 'department' | 'channel'];
    keyOfBreach.set(b.breach_id, key);
    const r = row(key);
    r.detected++;
    if (b.status === 'confirmed') r.confirmed++;
    if (b.status === 'exempted') r.exempted++;
  }
  const remedies = breachIds.length
    ? await db
        .selectFrom('sla_remedies')
        .select(['breach_id'])
        .where('breach_id', 'in', breachIds)
        .where('status', '!=', 'revoked')
        .execute()
    : [];
  for (const r of remedies) row(keyOfBreach.get(r.breach_id) ?? null).remedies++;
  for (const d of responses) row(d[breachKey as 'assignee' | 'department' | 'channel']).times.push(d.first_response_seconds!);
  for (const p of penalties) {
    // Agents' penalties count for agent and channel rows, departments' for department rows.
    const wanted = groupBy === 'department' ? 'department' : 'agent';
    if (p.subject_type !== wanted) continue;
    const r = row(groupBy === 'channel' ? p.channel : p.subject_id);
    r.points += p.points;
    for (const action of JSON.parse(p.actions) as string[])
      if (action !== 'points_deducted') r.actions[action] = (r.actions[action] ?? 0) + 1;
  }
  return {
    rows: [...rows.values()]
      .map(({ times, ...r }) => {
        const sorted = times.sort((a, b) => a - b);
        const [medianSeconds, p90Seconds] = [median(sorted), percentile(sorted, 0.9)];
        return {
          ...r,
          medianFirstResponseSeconds: medianSeconds,
          p90FirstResponseSeconds: p90Seconds,
          medianFirstResponseMs: secondsToMs(medianSeconds),
          p90FirstResponseMs: secondsToMs(p90Seconds),
        };
      })
      .sort((a, b) => a.key.localeCompare(b.key)),
  };
}

/** The period of a monthly report: the month in the business calendar's time zone, as UTC instants [from, to). */
export function monthPeriod(month: string, timeZone: string): { from: string; to: string } {
  const start = DateTime.fromFormat(month, 'yyyy-LL', { zone: timeZone });
  return { from: start.toUTC().toISO()!, to: start.plus({ months: 1 }).toUTC().toISO()! };
}

/** The monthly transparency report: agents and departments, and the remedies given to customers. */
export async function monthlyReport(db: Kysely<ReadSchema>, month: string, timeZone: string) {
  const { from, to } = monthPeriod(month, timeZone);
  const customerCompensation = await remedyFigures(db, from, to);
  // Issue 14: investigations whose 3-working-day deadline passed undecided in the month (reported, not hidden).
  const missed = await db
    .selectFrom('sla_investigations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('overdue_at', '>=', from)
    .where('overdue_at', '<', to)
    .executeTakeFirst();
  return {
    month,
    timeZone,
    from,
    to,
    agents: (await breachReport(db, from, to, 'agent')).rows,
    departments: (await breachReport(db, from, to, 'department')).rows,
    channels: (await breachReport(db, from, to, 'channel')).rows,
    customerCompensation,
    investigations: { missedDeadline: Number(missed?.n ?? 0) },
  };
}

/**
 * Issue 14: the customer remedies issued in [from, to) that still stand (an exemption revokes them), their
 * value (coupons: percent of the order amount; upgrades: months), and the apologies owed and sent.
 */
async function remedyFigures(db: Kysely<ReadSchema>, from: string, to: string) {
  const rows = await db
    .selectFrom('sla_remedies')
    .select(['type', 'status', 'coupon_percent', 'applies_to_amount'])
    .where('issued_at', '>=', from)
    .where('issued_at', '<', to)
    .execute();
  const standing = rows.filter((r) => r.status !== 'revoked');
  const byType: Record<string, number> = {};
  for (const r of standing) byType[r.type] = (byType[r.type] ?? 0) + 1;
  const apologies = standing.filter((r) => r.type === 'apology');
  const couponValue = standing
    .filter((r) => r.type === 'coupon')
    .reduce((sum, r) => sum + couponValueOf(r.coupon_percent ?? 0, r.applies_to_amount === null ? null : Number(r.applies_to_amount)), 0);
  return {
    issued: standing.length,
    byType,
    revoked: rows.length - standing.length,
    couponValue: { amount: couponValue, currency: 'CNY' },
    serviceUpgradeMonths: (byType.service_upgrade ?? 0) * SERVICE_UPGRADE_MONTHS,
    apologies: {
      owed: apologies.filter((r) => r.status === 'issued').length,
      sent: apologies.filter((r) => r.status === 'delivered').length,
    },
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}
