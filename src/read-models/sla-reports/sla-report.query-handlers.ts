import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { READ_STORE, ReadStore } from '../../read-side/store/read-store';
import { BreachGroup, BreachReportRow, breachReport, monthlyReport } from './sla-report-queries';
import { EVENT_STORE, EventStore } from '../../shared/event-sourcing/event-store.port';
import { reportAsKnown } from '../point-in-time/as-known';

type MonthlyReport = Awaited<ReturnType<typeof monthlyReport>>;

/**
 * Breaches and first responses in [from, to), grouped. The caller settles first (penalties executed, the
 * disputes and penalties models at the head: SlaController.settle), as the monthly report's caller does.
 */
export class GetBreachReportQuery extends Query<{ rows: BreachReportRow[] }> {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly groupBy: BreachGroup,
    /** The figures as known at this time (events recorded by then); absent: live. */
    readonly asKnownAt?: string,
  ) {
    super();
  }
}

/** One month's SLA report in the business calendar's time zone. */
export class GetMonthlySlaReportQuery extends Query<MonthlyReport> {
  constructor(
    readonly month: string,
    readonly timeZone: string,
    readonly asKnownAt?: string,
  ) {
    super();
  }
}

/** The dispute a breach belongs to (null when unknown), once the disputes model reached the log's head. */
export class GetBreachDisputeQuery extends Query<string | null> {
  constructor(readonly breachId: string) {
    super();
  }
}

@QueryHandler(GetBreachReportQuery)
export class GetBreachReportHandler implements IQueryHandler<GetBreachReportQuery, { rows: BreachReportRow[] }> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(EVENT_STORE) private readonly log: EventStore,
  ) {}

  execute(query: GetBreachReportQuery) {
    return reportAsKnown(this.store, this.log, query.asKnownAt, (db) => breachReport(db, query.from, query.to, query.groupBy));
  }
}

@QueryHandler(GetMonthlySlaReportQuery)
export class GetMonthlySlaReportHandler implements IQueryHandler<GetMonthlySlaReportQuery, MonthlyReport> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(EVENT_STORE) private readonly log: EventStore,
  ) {}

  execute(query: GetMonthlySlaReportQuery): Promise<MonthlyReport> {
    return reportAsKnown(this.store, this.log, query.asKnownAt, (db) => monthlyReport(db, query.month, query.timeZone));
  }
}

@QueryHandler(GetBreachDisputeQuery)
export class GetBreachDisputeHandler implements IQueryHandler<GetBreachDisputeQuery, string | null> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    private readonly engine: ProjectionEngine,
  ) {}

  async execute(query: GetBreachDisputeQuery): Promise<string | null> {
    await this.engine.waitForHead('disputes');
    const row = await this.store.db
      .selectFrom('sla_breaches')
      .select('dispute_id')
      .where('breach_id', '=', query.breachId)
      .executeTakeFirst();
    return (row?.dispute_id as string | undefined) ?? null;
  }
}
