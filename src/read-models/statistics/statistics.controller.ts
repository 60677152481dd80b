import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { Roles } from '../../common/http/access';
import { CompensationGroup } from '../reports/report-queries';
import { GetCompensationLineageQuery } from './compensation-lineage';
import { HistoryScope } from './dispute-histories';
import { StatReport } from './report-kit';
import { statReportNamed, STAT_REPORTS } from './statistics';
import { GetRowLineageQuery, GetStatisticsQuery, LineageResult, StatisticsResult } from './statistics.query-handlers';

export class StatisticsQueryDto {
  @ApiProperty({ description: 'disputes filed from (inclusive, ISO-8601)' }) @IsISO8601({ strict: true }) from: string;
  @ApiProperty({ description: 'to (exclusive)' }) @IsISO8601({ strict: true }) to: string;
  @ApiPropertyOptional({ description: 'the grouping (each report lists its own; the first is the default)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  groupBy?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) department?: string;
  @ApiPropertyOptional({ description: 'the figures as they stood with the events recorded by this time (ISO-8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asKnownAt?: string;
}

export class StatisticsRowDto {
  @ApiProperty({ example: 'quality_defect' }) key: string;
  @ApiProperty({ description: 'disputes behind the row' }) disputes: number;
}
export class StatisticsResponseDto {
  @ApiProperty() report: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty() groupBy: string;
  @ApiProperty({ nullable: true, type: String }) department: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'null: every event recorded so far' }) asKnownAt: string | null;
  @ApiProperty({ description: 'which events the figures come from' }) basis: string;
  @ApiProperty({ type: [StatisticsRowDto], description: "each row: key, disputes, and the report's figures" })
  rows: StatisticsRowDto[];
}
export class LineageEventDto {
  @ApiProperty() eventId: string;
  @ApiProperty() position: number;
  @ApiProperty() disputeId: string;
  @ApiProperty() type: string;
  @ApiProperty() recordedAt: string;
}
export class LineageResponseDto {
  @ApiProperty() report: string;
  @ApiProperty() key: string;
  @ApiProperty({ nullable: true, type: String }) asKnownAt: string | null;
  @ApiProperty({ type: StatisticsRowDto, nullable: true }) row: StatisticsRowDto | null;
  @ApiProperty({ type: [String] }) disputeIds: string[];
  @ApiProperty({ type: [LineageEventDto] }) events: LineageEventDto[];
}

const iso = (value: string) => new Date(value).toISOString();
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
  @ApiOperation({ summary: 'Feedback scores by agent, department, category or channel, with response rate' })
  @ApiOkResponse({ type: StatisticsResponseDto })
  satisfaction(@Query() query: StatisticsQueryDto): Promise<StatisticsResult> {
    return this.report('satisfaction', query);
  }

  @Get('categories')
  @Roles('manager', 'auditor', 'analyst')
  @ApiOperation({ summary: 'By category: remedies requested and given vs the playbook, reopen and escalation rates' })
  @ApiOkResponse({ type: StatisticsResponseDto })
  categories(@Query() query: StatisticsQueryDto): Promise<StatisticsResult> {
    return this.report('categories', query);
  }

  @Get('stages')
  @Roles('manager', 'auditor', 'analyst')
  @ApiOperation({ summary: 'Time in each stage: median and p90 seconds' })
  @ApiOkResponse({ type: StatisticsResponseDto })
  stages(@Query() query: StatisticsQueryDto): Promise<StatisticsResult> {
    return this.report('stages', query);
  }

  @Get('costs')
  @Roles('manager', 'auditor', 'analyst')
  @ApiOperation({ summary: 'Cost of compensation by type, category, department or month (coupons and upgrades priced)' })
  @ApiOkResponse({ type: StatisticsResponseDto })
  costs(@Query() query: StatisticsQueryDto): Promise<StatisticsResult> {
    return this.report('costs', query);
  }

  @Get('repeats')
  @Roles('manager', 'auditor', 'analyst')
  @ApiOperation({ summary: 'Repeat complaints: customers or order lines with more than one dispute (pseudonyms)' })
  @ApiOkResponse({ type: StatisticsResponseDto })
  repeats(@Query() query: StatisticsQueryDto): Promise<StatisticsResult> {
    return this.report('repeats', query);
  }

  @Get(':report/rows/:key/lineage')
  @Roles('manager', 'auditor', 'analyst')
  @ApiOperation({ summary: 'The disputes and events behind one row of a statistics report (same query parameters as the report)' })
  @ApiParam({ name: 'report', enum: [...STAT_REPORTS.map((r) => r.name), 'compensations'] })
  @ApiOkResponse({ type: LineageResponseDto })
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
    const asKnownAt = query.asKnownAt === undefined ? undefined : iso(query.asKnownAt);
    return this.queries.execute(new GetCompensationLineageQuery({ from: iso(query.from), to: iso(query.to), groupBy, key, asKnownAt }));
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
      from: iso(query.from),
      to: iso(query.to),
      department: query.department,
      asKnownAt: query.asKnownAt === undefined ? undefined : iso(query.asKnownAt),
    };
    return { scope, groupBy };
  }
}
