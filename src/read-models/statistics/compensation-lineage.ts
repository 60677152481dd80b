import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Kysely, sql } from 'kysely';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { READ_STORE, ReadStore } from '../../read-side/store/read-store';
import { queryAsKnownAt } from '../point-in-time/read-models-as-known';
import { disputeStreamId } from '../../disputes/application/dispute-stream';
import { EVENT_STORE, EventStore } from '../../shared/event-sourcing/event-store.port';
import { CompensationGroup, compensationReport } from '../reports/report-queries';
import { ReadSchema } from '../read-schema';
import { historyEventOf, historyOf } from './dispute-histories';
import { LineageResult } from './statistics.query-handlers';

/** The events a paid-compensation figure comes from: the filing (category), assignments (department) and its compensations'. */
const READS = new Set(['DisputeFiled', 'DisputeAssigned']);
const COMPENSATION_EVENTS = new Set(['CompensationProposed', 'CompensationApproved', 'CompensationPaid', 'CompensationDeclined']);

/**
 * Lineage of a row of `GET /reports/compensations` (paid in [from, to), grouped): the compensations the row sums,
 * their disputes, and those disputes' filing, assignment and compensation events (of the row's compensations).
 */
export async function compensationLineage(
  db: Kysely<ReadSchema>,
  log: EventStore,
  query: { from: string; to: string; groupBy: CompensationGroup; key: string; asKnownAt?: string },
): Promise<LineageResult & { compensationIds: string[] }> {
  const key =
    query.groupBy === 'month'
      ? sql<string>`substr(paid_at, 1, 7)`
      : query.groupBy === 'department'
        ? sql<string>`coalesce(department, 'unassigned')`
        : sql<string>`${sql.ref(query.groupBy)}`;
  const paid = await db
    .selectFrom('compensations')
    .select(['compensation_id', 'dispute_id'])
    .where('status', '=', 'paid')
    .where('paid_at', '>=', query.from)
    .where('paid_at', '<', query.to)
    .where(key, '=', query.key)
    .orderBy('compensation_id')
    .execute();
  const compensationIds = new Set(paid.map((p) => p.compensation_id));
  const disputeIds = [...new Set(paid.map((p) => p.dispute_id))].sort();
  const events: LineageResult['events'] = [];
  for (const disputeId of disputeIds) {
    const history = historyOf((await log.readStream(disputeStreamId(disputeId))).map(historyEventOf), query.asKnownAt);
    for (const e of history?.events ?? []) {
      const mine = COMPENSATION_EVENTS.has(e.type) && compensationIds.has(String(e.data.compensationId));
      if (READS.has(e.type) || mine)
        events.push({ eventId: e.eventId, position: e.position, disputeId, type: e.type, recordedAt: e.recordedAt });
    }
  }
  const report = await compensationReport(db, query.from, query.to, query.groupBy);
  const row = report.rows.find((r) => r.key === query.key);
  return {
    report: 'compensations',
    key: query.key,
    asKnownAt: query.asKnownAt ?? null,
    row: row ? { ...row, disputes: disputeIds.length } : null,
    disputeIds,
    compensationIds: [...compensationIds],
    events: events.sort((a, b) => a.position - b.position),
  };
}

export class GetCompensationLineageQuery extends Query<LineageResult> {
  constructor(readonly query: Parameters<typeof compensationLineage>[2]) {
    super();
  }
}

/** Live on the read store, or on the read models as known at `asKnownAt` (rebuilt from the events recorded by then). */
@QueryHandler(GetCompensationLineageQuery)
export class GetCompensationLineageHandler implements IQueryHandler<GetCompensationLineageQuery, LineageResult> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(EVENT_STORE) private readonly log: EventStore,
    private readonly engine: ProjectionEngine,
  ) {}

  async execute({ query }: GetCompensationLineageQuery): Promise<LineageResult> {
    await this.engine.waitForHead('disputes');
    if (query.asKnownAt === undefined) return compensationLineage(this.store.db, this.log, query);
    return queryAsKnownAt(this.log, query.asKnownAt, (store) => compensationLineage(store.db, this.log, query));
  }
}
