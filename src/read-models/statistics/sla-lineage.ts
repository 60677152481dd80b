import { Inject, NotFoundException } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Kysely, sql } from 'kysely';
import { disputeStreamId } from '../../disputes/application/dispute-stream';
import { READ_STORE, ReadStore } from '../../read-side/store/read-store';
import { EVENT_STORE, EventStore } from '../../shared/event-sourcing/event-store.port';
import { penaltyStreamId } from '../../sla/domain/penalties';
import { KnownLog } from '../point-in-time/known-log';
import { queryAsKnownAt } from '../point-in-time/read-models-as-known';
import { ReadSchema } from '../read-schema';
import { BreachGroup, breachReport, monthlyReport, monthPeriod } from '../sla-reports/sla-report-queries';
import { historyEventOf } from './dispute-histories';
import { distinctInLogOrder, LineageEvent, lineageEvent, traceDispute } from './event-tracing';
import { HistoryEvent } from './report-kit';
import { LineageResult } from './statistics.query-handlers';

const BREACH_DECISIONS = new Set(['SlaBreachConfirmed', 'SlaBreachExempted']);

export interface SlaLineage extends LineageResult {
  breachIds: string[];
  penaltyIds: string[];
  remedyIds: string[];
}

/**
 * Lineage of a row of the SLA breach report (`GET /reports/sla-breaches`, and the agents, departments and channels
 * of the monthly report: the same rows over the month): the events each figure of the row comes from.
 * - detected, confirmed, exempted: each breach's `SlaBreached` and its last decision (confirmed or exempted), with
 *   its dispute's filing (the channel of a breach is its dispute's);
 * - first response (median, p90): for each dispute filed in the period with a first response, its filing, the
 *   acknowledgement that set the response time, and the event that made its current agent or department the key;
 * - points and actions: the last `PenaltyApplied` of each penalty that stands (agent or department stream);
 * - remedies: the issue of each remedy of the row's breaches that stands.
 */
export async function slaBreachLineage(
  db: Kysely<ReadSchema>,
  log: EventStore,
  query: { from: string; to: string; groupBy: BreachGroup; key: string; report?: string; asKnownAt?: string },
): Promise<SlaLineage> {
  const column = query.groupBy === 'agent' ? 'assignee' : query.groupBy;
  const keyOf = sql<string>`coalesce(${sql.ref(column)}, 'unassigned')`;
  const breaches = await db
    .selectFrom('sla_breaches')
    .select(['breach_id', 'dispute_id'])
    .where('detected_at', '>=', query.from)
    .where('detected_at', '<', query.to)
    .where(keyOf, '=', query.key)
    .execute();
  const responders = await db
    .selectFrom('disputes')
    .select('dispute_id')
    .where('filed_at', '>=', query.from)
    .where('filed_at', '<', query.to)
    .where('first_response_seconds', 'is not', null)
    .where(keyOf, '=', query.key)
    .execute();
  const periodBreaches = db
    .selectFrom('sla_breaches')
    .select('breach_id')
    .where('detected_at', '>=', query.from)
    .where('detected_at', '<', query.to);
  // Agents' penalties count for agent and channel rows, departments' for department rows (as the report does).
  const subjectType = query.groupBy === 'department' ? 'department' : 'agent';
  const penalties = await db
    .selectFrom('sla_penalties')
    .select(['penalty_id', 'breach_id', 'subject_type', 'subject_id'])
    .where('breach_id', 'in', periodBreaches)
    .where('reversed_at', 'is', null)
    .where('subject_type', '=', subjectType)
    .where(query.groupBy === 'channel' ? sql<string>`coalesce(channel, 'unassigned')` : sql<string>`subject_id`, '=', query.key)
    .orderBy('penalty_id')
    .execute();
  const breachIds = new Set(breaches.map((b) => b.breach_id));
  const remedies = breachIds.size
    ? await db
        .selectFrom('sla_remedies')
        .select(['remedy_id', 'dispute_id'])
        .where('breach_id', 'in', [...breachIds])
        .where('status', '!=', 'revoked')
        .orderBy('remedy_id')
        .execute()
    : [];
  const remedyIds = new Set(remedies.map((r) => r.remedy_id));
  const responding = new Set(responders.map((r) => r.dispute_id));

  const known = query.asKnownAt === undefined ? log : new KnownLog(log, query.asKnownAt);
  const events: LineageEvent[] = [];
  const disputeIds = [...new Set([...breaches, ...responders, ...remedies].map((r) => r.dispute_id))].sort();
  for (const disputeId of disputeIds) {
    const stream = (await known.readStream(disputeStreamId(disputeId))).map(historyEventOf);
    const traced = traceDispute(stream);
    if (traced === null) continue;
    const add = (e: HistoryEvent | undefined) => e && events.push(lineageEvent(e, disputeId));
    add(traced.filed);
    const lastDecision = new Map<string, HistoryEvent>();
    for (const e of stream) {
      const breachId = e.data.breachId as string | undefined;
      if (e.type === 'SlaBreached' && breachIds.has(breachId!)) add(e);
      if (BREACH_DECISIONS.has(e.type) && breachIds.has(breachId!)) lastDecision.set(breachId!, e);
      const remedyId = (
        e.type === 'BreachRemedyIssued' ? e.data.remedyId : e.type === 'CompensationProposed' ? e.data.compensationId : null
      ) as string | null;
      if (remedyId !== null && remedyIds.has(remedyId)) add(e);
    }
    lastDecision.forEach(add);
    if (responding.has(disputeId)) {
      add(traced.milestones.get('first_response_seconds'));
      if (query.groupBy !== 'channel') add(traced.lastSet[column as 'assignee' | 'department']);
    }
  }
  for (const p of penalties) {
    const stream = await known.readStream(penaltyStreamId(p.subject_type as 'agent' | 'department', p.subject_id));
    const applied = stream.filter(
      (e) => e.type === 'PenaltyApplied' && e.data.breachId === p.breach_id && e.data.subjectType === p.subject_type,
    );
    const last = applied[applied.length - 1];
    if (last) events.push(lineageEvent(historyEventOf(last), String(last.data.disputeId)));
  }
  const row = (await breachReport(db, query.from, query.to, query.groupBy)).rows.find((r) => r.key === query.key);
  const named = distinctInLogOrder(events);
  const allDisputes = [...new Set(named.map((e) => e.disputeId))].sort();
  return {
    report: query.report ?? 'sla-breaches',
    key: query.key,
    asKnownAt: query.asKnownAt ?? null,
    row: row ? { ...row, disputes: allDisputes.length } : null,
    disputeIds: allDisputes,
    breachIds: [...breachIds].sort(),
    penaltyIds: penalties.map((p) => p.penalty_id),
    remedyIds: [...remedyIds].sort(),
    events: named,
  };
}

export type MonthlySection = 'agents' | 'departments' | 'channels';
export const MONTHLY_SECTIONS: Record<MonthlySection, BreachGroup> = { agents: 'agent', departments: 'department', channels: 'channel' };
/** The monthly report's figures that are not breach rows: `customerCompensation` by remedy type, `investigations`. */
export type MonthlyFigures = 'remedies' | 'investigations';
export const MONTHLY_FIGURE_SECTIONS: readonly MonthlyFigures[] = ['remedies', 'investigations'];

const REMEDY_DELIVERIES = new Set(['ApologySent', 'BreachRemedyDelivered', 'CompensationPaid']);

/**
 * Lineage of the monthly report's other figures. `remedies`, key a remedy type: the remedies of that type issued in
 * the month that still stand (`customerCompensation.byType[type]`, with the coupons' value, the upgrades' months,
 * the apologies owed and sent): each one's issue and, once delivered, the event that delivered it.
 * `investigations`, key `missedDeadline`: the `SlaInvestigationOverdue` of each investigation whose deadline passed
 * undecided in the month.
 */
export async function monthlyFigureLineage(
  db: Kysely<ReadSchema>,
  log: EventStore,
  query: { month: string; timeZone: string; section: MonthlyFigures; key: string; asKnownAt?: string },
): Promise<SlaLineage> {
  const { from, to } = monthPeriod(query.month, query.timeZone);
  const known = query.asKnownAt === undefined ? log : new KnownLog(log, query.asKnownAt);
  const report = await monthlyReport(db, query.month, query.timeZone);
  const events: LineageEvent[] = [];
  let remedyIds: string[] = [];
  let breachIds: string[] = [];
  let row: Record<string, unknown> | null = null;
  if (query.section === 'remedies') {
    const remedies = await db
      .selectFrom('sla_remedies')
      .select(['remedy_id', 'dispute_id', 'status'])
      .where('issued_at', '>=', from)
      .where('issued_at', '<', to)
      .where('type', '=', query.key)
      .where('status', '!=', 'revoked')
      .orderBy('remedy_id')
      .execute();
    remedyIds = remedies.map((r) => r.remedy_id);
    const wanted = new Set(remedyIds);
    const delivered = new Set(remedies.filter((r) => r.status === 'delivered').map((r) => r.remedy_id));
    for (const disputeId of [...new Set(remedies.map((r) => r.dispute_id))].sort()) {
      const seen = new Set<string>();
      for (const stored of await known.readStream(disputeStreamId(disputeId))) {
        const e = historyEventOf(stored);
        const issued = e.type === 'BreachRemedyIssued' ? e.data.remedyId : e.type === 'CompensationProposed' ? e.data.compensationId : null;
        if (typeof issued === 'string' && wanted.has(issued)) events.push(lineageEvent(e, disputeId));
        const id = (e.data.remedyId ?? e.data.compensationId) as string | undefined;
        if (REMEDY_DELIVERIES.has(e.type) && id && delivered.has(id) && !seen.has(id)) {
          seen.add(id);
          events.push(lineageEvent(e, disputeId));
        }
      }
    }
    const c = report.customerCompensation;
    const issued = c.byType[query.key] ?? 0;
    if (issued > 0)
      row = {
        key: query.key,
        issued,
        ...(query.key === 'coupon' ? { couponValue: c.couponValue } : {}),
        ...(query.key === 'service_upgrade' ? { serviceUpgradeMonths: c.serviceUpgradeMonths } : {}),
        ...(query.key === 'apology' ? { apologies: c.apologies } : {}),
      };
  } else {
    if (query.key !== 'missedDeadline') throw new NotFoundException('key: the investigations figure is "missedDeadline"');
    const overdue = await db
      .selectFrom('sla_investigations')
      .select(['breach_id', 'dispute_id'])
      .where('overdue_at', '>=', from)
      .where('overdue_at', '<', to)
      .orderBy('breach_id')
      .execute();
    breachIds = overdue.map((o) => o.breach_id);
    const wanted = new Set(breachIds);
    for (const disputeId of [...new Set(overdue.map((o) => o.dispute_id))].sort())
      for (const stored of await known.readStream(disputeStreamId(disputeId)))
        if (stored.type === 'SlaInvestigationOverdue' && wanted.has(String(stored.data.breachId)))
          events.push(lineageEvent(historyEventOf(stored), disputeId));
    row = { key: query.key, missedDeadline: report.investigations.missedDeadline };
  }
  const named = distinctInLogOrder(events);
  const disputeIds = [...new Set(named.map((e) => e.disputeId))].sort();
  return {
    report: 'sla/monthly',
    key: query.key,
    asKnownAt: query.asKnownAt ?? null,
    row: row === null ? null : ({ ...row, disputes: disputeIds.length } as LineageResult['row']),
    disputeIds,
    breachIds,
    penaltyIds: [],
    remedyIds,
    events: named,
  };
}

export class GetSlaLineageQuery extends Query<SlaLineage> {
  constructor(readonly query: Parameters<typeof slaBreachLineage>[2]) {
    super();
  }
}

export class GetMonthlyFigureLineageQuery extends Query<SlaLineage> {
  constructor(readonly query: Parameters<typeof monthlyFigureLineage>[2]) {
    super();
  }
}

@QueryHandler(GetMonthlyFigureLineageQuery)
export class GetMonthlyFigureLineageHandler implements IQueryHandler<GetMonthlyFigureLineageQuery, SlaLineage> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(EVENT_STORE) private readonly log: EventStore,
  ) {}

  execute({ query }: GetMonthlyFigureLineageQuery): Promise<SlaLineage> {
    if (query.asKnownAt === undefined) return monthlyFigureLineage(this.store.db, this.log, query);
    return queryAsKnownAt(this.log, query.asKnownAt, (store) => monthlyFigureLineage(store.db, this.log, query));
  }
}

/** Live on the read store, or on the read models as known at `asKnownAt` (the log cut there too). The caller settles first. */
@QueryHandler(GetSlaLineageQuery)
export class GetSlaLineageHandler implements IQueryHandler<GetSlaLineageQuery, SlaLineage> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(EVENT_STORE) private readonly log: EventStore,
  ) {}

  execute({ query }: GetSlaLineageQuery): Promise<SlaLineage> {
    if (query.asKnownAt === undefined) return slaBreachLineage(this.store.db, this.log, query);
    return queryAsKnownAt(this.log, query.asKnownAt, (store) => slaBreachLineage(store.db, this.log, query));
  }
}
