import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { disputeStreamId } from '../../disputes/application/dispute-stream';
import { PSEUDONYMIZER, Pseudonymizer } from '../../privacy/pseudonym';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { READ_STORE, ReadStore } from '../../read-side/store/read-store';
import { EVENT_STORE, EventStore } from '../../shared/event-sourcing/event-store.port';
import { costSettingsFrom } from './cost-settings';
import { disputeHistories, historyEventOf, historyOf, HistoryScope } from './dispute-histories';
import { computeReport, eventsRead, StatParams, StatReport, StatRow } from './report-kit';

export interface StatisticsResult {
  report: string;
  from: string;
  to: string;
  groupBy: string;
  department: string | null;
  /** The point in time the figures stand at: null for everything recorded so far. */
  asKnownAt: string | null;
  basis: string;
  rows: StatRow[];
}

export interface LineageResult {
  report: string;
  key: string;
  asKnownAt: string | null;
  row: StatRow | null;
  disputeIds: string[];
  events: { eventId: string; position: number; disputeId: string; type: string; recordedAt: string }[];
}

export class GetStatisticsQuery extends Query<StatisticsResult> {
  constructor(
    readonly report: StatReport<any, object>,
    readonly scope: HistoryScope,
    readonly groupBy: string,
  ) {
    super();
  }
}

export class GetRowLineageQuery extends Query<LineageResult> {
  constructor(
    readonly report: StatReport<any, object>,
    readonly scope: HistoryScope,
    readonly groupBy: string,
    readonly key: string,
  ) {
    super();
  }
}

const basisOf = (asKnownAt?: string) =>
  asKnownAt === undefined
    ? 'every event recorded so far'
    : `only the events recorded by ${asKnownAt} (later events, corrections and exemptions included, are left out)`;

abstract class StatisticsHandler {
  constructor(
    @Inject(READ_STORE) protected readonly store: ReadStore,
    @Inject(EVENT_STORE) protected readonly log: EventStore,
    @Inject(PSEUDONYMIZER) protected readonly pseudonyms: Pseudonymizer,
    protected readonly engine: ProjectionEngine,
  ) {}

  protected async compute(report: StatReport<any, object>, scope: HistoryScope, groupBy: string) {
    await this.engine.waitForHead('disputes');
    const params: StatParams = { groupBy, costs: costSettingsFrom(), pseudonyms: this.pseudonyms };
    return { params, computed: await computeReport(report, disputeHistories(this.store.db, this.log, scope), params) };
  }
}

/** A statistics report over the disputes filed in the period, as known now or at `asKnownAt`. */
@QueryHandler(GetStatisticsQuery)
export class GetStatisticsHandler extends StatisticsHandler implements IQueryHandler<GetStatisticsQuery, StatisticsResult> {
  async execute({ report, scope, groupBy }: GetStatisticsQuery): Promise<StatisticsResult> {
    const { computed } = await this.compute(report, scope, groupBy);
    return {
      report: report.name,
      from: scope.from,
      to: scope.to,
      groupBy,
      department: scope.department ?? null,
      asKnownAt: scope.asKnownAt ?? null,
      basis: basisOf(scope.asKnownAt),
      rows: computed.rows,
    };
  }
}

/** The disputes and events behind one row: the events of those disputes (known by then) that the report reads. */
@QueryHandler(GetRowLineageQuery)
export class GetRowLineageHandler extends StatisticsHandler implements IQueryHandler<GetRowLineageQuery, LineageResult> {
  async execute({ report, scope, groupBy, key }: GetRowLineageQuery): Promise<LineageResult> {
    const { computed } = await this.compute(report, scope, groupBy);
    const disputeIds = computed.lineage.get(key) ?? [];
    const events: LineageResult['events'] = [];
    for (const disputeId of disputeIds) {
      const history = historyOf((await this.log.readStream(disputeStreamId(disputeId))).map(historyEventOf), scope.asKnownAt);
      if (history === null) continue;
      for (const e of eventsRead(report, history))
        events.push({ eventId: e.eventId, position: e.position, disputeId, type: e.type, recordedAt: e.recordedAt });
    }
    return {
      report: report.name,
      key,
      asKnownAt: scope.asKnownAt ?? null,
      row: computed.rows.find((r) => r.key === key) ?? null,
      disputeIds,
      events: events.sort((a, b) => a.position - b.position),
    };
  }
}
