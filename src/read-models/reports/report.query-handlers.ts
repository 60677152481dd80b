import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { READ_STORE, ReadStore } from '../../read-side/store/read-store';
import { CompensationGroup, compensationReport, funnelReport } from './report-queries';
import { EVENT_STORE, EventStore } from '../../shared/event-sourcing/event-store.port';
import { reportAsKnown } from '../point-in-time/as-known';

type CompensationReport = Awaited<ReturnType<typeof compensationReport>>;
type FunnelReport = Awaited<ReturnType<typeof funnelReport>>;

/** Compensation paid in [from, to) (ISO instants), grouped. */
export class GetCompensationReportQuery extends Query<CompensationReport> {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly groupBy: CompensationGroup,
    /** The figures as known at this time (events recorded by then); absent: live. */
    readonly asKnownAt?: string,
  ) {
    super();
  }
}

/** The stage funnel of the disputes filed in [from, to). */
export class GetFunnelReportQuery extends Query<FunnelReport> {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly asKnownAt?: string,
  ) {
    super();
  }
}

/** Each report first lets the disputes model reach the log's head as of the request (bounded). */
@QueryHandler(GetCompensationReportQuery)
export class GetCompensationReportHandler implements IQueryHandler<GetCompensationReportQuery, CompensationReport> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    private readonly engine: ProjectionEngine,
    @Inject(EVENT_STORE) private readonly log: EventStore,
  ) {}

  async execute(query: GetCompensationReportQuery): Promise<CompensationReport> {
    await this.engine.waitForHead('disputes');
    return reportAsKnown(this.store, this.log, query.asKnownAt, (db) => compensationReport(db, query.from, query.to, query.groupBy));
  }
}

@QueryHandler(GetFunnelReportQuery)
export class GetFunnelReportHandler implements IQueryHandler<GetFunnelReportQuery, FunnelReport> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    private readonly engine: ProjectionEngine,
    @Inject(EVENT_STORE) private readonly log: EventStore,
  ) {}

  async execute(query: GetFunnelReportQuery): Promise<FunnelReport> {
    await this.engine.waitForHead('disputes');
    return reportAsKnown(this.store, this.log, query.asKnownAt, (db) => funnelReport(db, query.from, query.to));
  }
}
