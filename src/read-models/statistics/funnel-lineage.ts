import { Inject, NotFoundException } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { READ_STORE, ReadStore } from '../../read-side/store/read-store';
import { EVENT_STORE, EventStore } from '../../shared/event-sourcing/event-store.port';
import { reportAsKnown } from '../point-in-time/as-known';
import { DisputeRowTable } from '../disputes/disputes.tables';
import { funnelReport } from '../reports/report-queries';
import { disputeHistories } from './dispute-histories';
import { distinctInLogOrder, LineageEvent, lineageEvent, traceDispute } from './event-tracing';
import { LineageResult } from './statistics.query-handlers';

type FunnelReport = Awaited<ReturnType<typeof funnelReport>>;

/** The funnel's rows: each stage reached, `resolved` (time to resolution) and `escalated` (any forum). */
const COLUMNS: Record<string, (keyof DisputeRowTable)[]> = {
  filed: [],
  acknowledged: ['acknowledged_at'],
  negotiation: ['negotiated_at'],
  mediation: ['mediated_at'],
  arbitration: ['arbitrated_at'],
  litigation: ['litigated_at'],
  compensated: ['compensated_at'],
  closed: ['closed_at'],
  rejected: ['rejected_at'],
  withdrawn: ['withdrawn_at'],
  resolved: ['resolved_at'],
  escalated: ['mediated_at', 'arbitrated_at', 'litigated_at'],
};
export const FUNNEL_KEYS = Object.keys(COLUMNS);

/** The funnel report's figure for a key, as a row (`disputes`: how many disputes make it). */
function funnelRow(report: FunnelReport, key: string, disputes: number): Record<string, unknown> & { key: string; disputes: number } {
  if (key === 'resolved') return { key, disputes: report.resolved, medianTimeToResolutionSeconds: report.medianTimeToResolutionSeconds };
  if (key === 'escalated') return { key, disputes, rate: report.escalationRates.any };
  const rate = (report.escalationRates as Record<string, number>)[key];
  return { key, disputes: report.stages[key as keyof FunnelReport['stages']], ...(rate === undefined ? {} : { rate }) };
}

/**
 * Lineage of a row of `GET /reports/funnel` (disputes filed in [from, to)): the disputes that reached the stage
 * and, for each, its filing (which puts it in the period) and the event that first set the milestone the report
 * counts (for `resolved`, the first resolving event: filing and resolution make its time to resolution). The
 * disputes are those of the period as known at `asKnownAt`, their streams cut there.
 */
export async function funnelLineage(
  store: ReadStore,
  log: EventStore,
  query: { from: string; to: string; key: string; asKnownAt?: string },
): Promise<LineageResult> {
  const columns = COLUMNS[query.key];
  if (!columns) throw new NotFoundException(`key: the funnel has no row "${query.key}"; one of ${FUNNEL_KEYS.join(', ')}`);
  const disputeIds: string[] = [];
  const events: LineageEvent[] = [];
  for await (const history of disputeHistories(store.db, log, query)) {
    const traced = traceDispute(history.events)!;
    const setters = columns.map((c) => traced.milestones.get(c)).filter((e) => e !== undefined);
    if (columns.length > 0 && setters.length === 0) continue;
    disputeIds.push(traced.state.id);
    for (const e of [traced.filed, ...setters]) events.push(lineageEvent(e, traced.state.id));
  }
  const report = (await reportAsKnown(store, log, query.asKnownAt, (db) => funnelReport(db, query.from, query.to))) as FunnelReport;
  return {
    report: 'funnel',
    key: query.key,
    asKnownAt: query.asKnownAt ?? null,
    row: funnelRow(report, query.key, disputeIds.length),
    disputeIds: disputeIds.sort(),
    events: distinctInLogOrder(events),
  };
}

export class GetFunnelLineageQuery extends Query<LineageResult> {
  constructor(readonly query: Parameters<typeof funnelLineage>[2]) {
    super();
  }
}

@QueryHandler(GetFunnelLineageQuery)
export class GetFunnelLineageHandler implements IQueryHandler<GetFunnelLineageQuery, LineageResult> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(EVENT_STORE) private readonly log: EventStore,
    private readonly engine: ProjectionEngine,
  ) {}

  async execute({ query }: GetFunnelLineageQuery): Promise<LineageResult> {
    await this.engine.waitForHead('disputes');
    return funnelLineage(this.store, this.log, query);
  }
}
