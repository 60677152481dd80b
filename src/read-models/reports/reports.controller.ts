import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/http/access';
import { ApiRead } from '../../common/http/api-docs';
import { GetCompensationReportQuery, GetFunnelReportQuery } from './report.query-handlers';
import { FUNNEL_KEYS, GetFunnelLineageQuery } from '../statistics/funnel-lineage';
import { LineageResponseDto } from '../statistics/statistics.dto';
import { CompensationReportDto, CompensationReportQueryDto, FunnelReportDto, PeriodDto } from './report.dto';
import { toIsoInstant } from '../../shared/instants';

const knownAt = (query: PeriodDto) => toIsoInstant(query.asKnownAt);

/** Analysts' reports over the read models (query handlers: each waits for its projection to reach the log's head, bounded). */
@ApiTags('reports')
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('compensations')
  @Roles('manager', 'auditor', 'analyst')
  @ApiRead({
    summary: 'Compensation paid, by type, category, department or month',
    operationId: 'getCompensationReport',
    type: CompensationReportDto,
    errors: [400],
  })
  compensations(@Query() query: CompensationReportQueryDto) {
    return this.queries.execute(
      new GetCompensationReportQuery(toIsoInstant(query.from), toIsoInstant(query.to), query.groupBy ?? 'type', knownAt(query)),
    );
  }

  @Get('funnel')
  @Roles('manager', 'analyst')
  @ApiRead({
    summary: 'The funnel: stages reached, escalation rates, median time to resolution',
    operationId: 'getFunnelReport',
    type: FunnelReportDto,
    errors: [400],
  })
  funnel(@Query() query: PeriodDto) {
    return this.queries.execute(new GetFunnelReportQuery(toIsoInstant(query.from), toIsoInstant(query.to), knownAt(query)));
  }

  @Get('funnel/rows/:key/lineage')
  @Roles('manager', 'analyst')
  @ApiRead({
    summary: 'The disputes and events behind one figure of the funnel (a stage reached, resolved, escalated)',
    operationId: 'getFunnelRowLineage',
    type: LineageResponseDto,
    errors: [400, 404],
  })
  @ApiParam({ name: 'key', enum: FUNNEL_KEYS })
  funnelLineage(@Param('key') key: string, @Query() query: PeriodDto) {
    return this.queries.execute(
      new GetFunnelLineageQuery({ from: toIsoInstant(query.from), to: toIsoInstant(query.to), key, asKnownAt: knownAt(query) }),
    );
  }
}
