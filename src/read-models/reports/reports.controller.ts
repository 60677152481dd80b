import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { Roles } from '../../common/http/access';
import { CompensationGroup } from './report-queries';
import { GetCompensationReportQuery, GetFunnelReportQuery } from './report.query-handlers';

class PeriodDto {
  @IsISO8601({ strict: true }) from: string;
  @IsISO8601({ strict: true }) to: string;
  /** The figures as they stood with the events recorded by this time (issue 17); the answer then says so. */
  @IsOptional() @IsISO8601({ strict: true }) asKnownAt?: string;
}
class CompensationReportDto extends PeriodDto {
  @IsOptional() @IsIn(['type', 'category', 'department', 'month']) groupBy?: CompensationGroup;
}

const iso = (value: string) => new Date(value).toISOString();
const knownAt = (query: PeriodDto) => (query.asKnownAt === undefined ? undefined : iso(query.asKnownAt));

/** Analysts' reports over the read models (query handlers: each waits for its projection to reach the log's head, bounded). */
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('compensations')
  @Roles('manager', 'auditor', 'analyst')
  compensations(@Query() query: CompensationReportDto) {
    return this.queries.execute(new GetCompensationReportQuery(iso(query.from), iso(query.to), query.groupBy ?? 'type', knownAt(query)));
  }

  @Get('funnel')
  @Roles('manager', 'analyst')
  funnel(@Query() query: PeriodDto) {
    return this.queries.execute(new GetFunnelReportQuery(iso(query.from), iso(query.to), knownAt(query)));
  }
}
