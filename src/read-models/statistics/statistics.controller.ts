import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/http/access';
import { ApiRead } from '../../common/http/api-docs';
import { CompensationGroup } from '../reports/report-queries';
import { GetCompensationLineageQuery } from './compensation-lineage';
import { HistoryScope } from './dispute-histories';
import { StatReport } from './report-kit';
import { statReportNamed, STAT_REPORTS } from './statistics';
import {
  CategoryReportDto,
  CostReportDto,
  LineageResponseDto,
  RepeatReportDto,
  SatisfactionReportDto,
  StageReportDto,
  StatisticsQueryDto,
} from './statistics.dto';
import { GetRowLineageQuery, GetStatisticsQuery, LineageResult, StatisticsResult } from './statistics.query-handlers';
import { toIsoInstant } from '../../shared/instants';

const COMPENSATION_GROUPS: CompensationGroup[] = ['type', 'category', 'department', 'month'];

/**
 * The handbook's statistics (issue 17): satisfaction, categories (with reopen and escalation rates), stages, costs,
 * repeats. Every report takes `asKnownAt`; every row answers its lineage. No customer or order id appears.
 */
@ApiTags('reports')
@Controller('api/v1/reports')
export class StatisticsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('satisfaction')
  @Roles('manager', 'auditor', 'analyst')
  @ApiRead({
    summary: 'Feedback scores by agent, department, category or channel, with response rate',
    operationId: 'getSatisfactionReport',
    type: SatisfactionReportDto,
    errors: [400],
  })
  satisfaction(@Query() query: StatisticsQueryDto): Promise<StatisticsResult> {
    return this.report('satisfaction', query);
  }

  @Get('categories')
  @Roles('manager', 'auditor', 'analyst')
  @ApiRead({
    summary: 'By category: remedies requested and given vs the playbook, reopen and escalation rates',
    operationId: 'getCategoryReport',
    type: CategoryReportDto,
    errors: [400],
  })
  categories(@Query() query: StatisticsQueryDto): Promise<StatisticsResult> {
    return this.report('categories', query);
  }

  @Get('stages')
  @Roles('manager', 'auditor', 'analyst')
  @ApiRead({ summary: 'Time in each stage: median and p90 seconds', operationId: 'getStageReport', type: StageReportDto, errors: [400] })
  stages(@Query() query: StatisticsQueryDto): Promise<StatisticsResult> {
    return this.report('stages', query);
  }

  @Get('costs')
  @Roles('manager', 'auditor', 'analyst')
  @ApiRead({
    summary: 'Cost of compensation by type, category, department or month (coupons and upgrades priced)',
    operationId: 'getCostReport',
    type: CostReportDto,
    errors: [400],
  })
  costs(@Query() query: StatisticsQueryDto): Promise<StatisticsResult> {
    return this.report('costs', query);
  }

  @Get('repeats')
  @Roles('manager', 'auditor', 'analyst')
  @ApiRead({
    summary: 'Repeat complaints: customers or order lines with more than one dispute (pseudonyms)',
    operationId: 'getRepeatReport',
    type: RepeatReportDto,
    errors: [400],
  })
  repeats(@Query() query: StatisticsQueryDto): Promise<StatisticsResult> {
    return this.report('repeats', query);
  }

  @Get(':report/rows/:key/lineage')
  @Roles('manager', 'auditor', 'analyst')
  @ApiRead({
    summary: 'The disputes and events behind one row of a statistics report (same query parameters as the report)',
    operationId: 'getReportRowLineage',
    type: LineageResponseDto,
    errors: [400, 404],
  })
  @ApiParam({ name: 'report', enum: [...STAT_REPORTS.map((r) => r.name), 'compensations'] })
  lineage(@Param('report') name: string, @Param('key') key: string, @Query() query: StatisticsQueryDto): Promise<LineageResult> {
    if (name === 'compensations') return this.compensationLineage(key, query);
    const report = statReportNamed(name);
    if (!report)
      throw new NotFoundException(`report: no statistics report named "${name}"; one of ${STAT_REPORTS.map((r) => r.name).join(', ')}`);
    const { scope, groupBy } = this.scopeOf(report, query);
    return this.queries.execute(new GetRowLineageQuery(report, scope, groupBy, key));
  }

  /** The read-model report `compensations` (paid, grouped): the compensations, disputes and events a row sums. */
  private compensationLineage(key: string, query: StatisticsQueryDto): Promise<LineageResult> {
    const groupBy = (query.groupBy ?? 'type') as CompensationGroup;
    if (!COMPENSATION_GROUPS.includes(groupBy)) throw new BadRequestException(`groupBy must be one of ${COMPENSATION_GROUPS.join(', ')}`);
    const asKnownAt = toIsoInstant(query.asKnownAt);
    return this.queries.execute(
      new GetCompensationLineageQuery({ from: toIsoInstant(query.from), to: toIsoInstant(query.to), groupBy, key, asKnownAt }),
    );
  }

  private report(name: string, query: StatisticsQueryDto): Promise<StatisticsResult> {
    const report = statReportNamed(name)!;
    const { scope, groupBy } = this.scopeOf(report, query);
    return this.queries.execute(new GetStatisticsQuery(report, scope, groupBy));
  }

  private scopeOf(report: StatReport<any, object>, query: StatisticsQueryDto): { scope: HistoryScope; groupBy: string } {
    const groupBy = query.groupBy ?? report.groupBys[0];
    if (!report.groupBys.includes(groupBy)) throw new BadRequestException(`groupBy must be one of ${report.groupBys.join(', ')}`);
    const scope: HistoryScope = {
      from: toIsoInstant(query.from),
      to: toIsoInstant(query.to),
      department: query.department,
      asKnownAt: toIsoInstant(query.asKnownAt),
    };
    return { scope, groupBy };
  }
}
