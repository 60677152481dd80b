import { Controller, Get, Inject, Query } from '@nestjs/common';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { Roles } from '../../auth/actor';
import { READ_STORE, ReadStore } from '../../read-side/store/read-store';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { CompensationGroup, compensationReport, funnelReport } from './report-queries';

class PeriodDto {
  @IsISO8601({ strict: true }) from: string;
  @IsISO8601({ strict: true }) to: string;
}
class CompensationReportDto extends PeriodDto {
  @IsOptional() @IsIn(['type', 'category', 'department', 'month']) groupBy?: CompensationGroup;
}

const iso = (value: string) => new Date(value).toISOString();

/** Analysts' reports over the read models; each waits for its projection to reach the log's head (bounded). */
@Controller('api/v1/reports')
export class ReportsController {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    private readonly engine: ProjectionEngine,
  ) {}

  @Get('compensations')
  @Roles('manager', 'auditor', 'analyst')
  async compensations(@Query() query: CompensationReportDto) {
    await this.engine.waitForHead('disputes');
    return compensationReport(this.store.db, iso(query.from), iso(query.to), query.groupBy ?? 'type');
  }

  @Get('funnel')
  @Roles('manager', 'analyst')
  async funnel(@Query() query: PeriodDto) {
    await this.engine.waitForHead('disputes');
    return funnelReport(this.store.db, iso(query.from), iso(query.to));
  }
}
