import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { READ_STORE, ReadStore } from '../../read-side/store/read-store';
import { CompensationGroup, compensationReport, funnelReport } from './report-queries';

type CompensationReport = Awaited<ReturnType<typeof compensationReport>>;
type FunnelReport = Awaited<ReturnType<typeof funnelReport>>;

/** Compensation paid in [from, to) (ISO instants), grouped. */
export class GetCompensationReportQuery extends Query<CompensationReport> {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly groupBy: CompensationGroup,
  ) {
    super();
  }
}

/** The stage funnel of the disputes filed in [from, to). */
export class GetFunnelReportQuery extends Query<FunnelReport> {
  constructor(
    readonly from: string,
    readonly to: string,
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
  ) {}

  async execute(query: GetCompensationReportQuery): Promise<CompensationReport> {
    await this.engine.waitForHead('disputes');
    return compensationReport(this.store.db, query.from, query.to, query.groupBy);
  }
}

@QueryHandler(GetFunnelReportQuery)
export class GetFunnelReportHandler implements IQueryHandler<GetFunnelReportQuery, FunnelReport> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    private readonly engine: ProjectionEngine,
  ) {}

  async execute(query: GetFunnelReportQuery): Promise<FunnelReport> {
    await this.engine.waitForHead('disputes');
    return funnelReport(this.store.db, query.from, query.to);
  }
}
