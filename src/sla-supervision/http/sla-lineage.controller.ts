import { BadRequestException, Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/http/access';
import { ApiRead } from '../../common/http/api-docs';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { GetMonthlyFigureLineageQuery, GetSlaLineageQuery, MONTHLY_SECTIONS, SlaLineage } from '../../read-models/statistics/sla-lineage';
import { monthPeriod } from '../../read-models/sla-reports/sla-report-queries';
import { LineageResponseDto } from '../../read-models/statistics/statistics.dto';
import { SlaPolicyAdmin } from '../../sla/application/sla-policy.admin';
import { SlaPolicyRegistry } from '../../sla/application/sla-policy.registry';
import { BreachReportQueryDto, MonthlyLineageQueryDto } from './sla.dto';
import { toIsoInstant } from '../../shared/instants';

/**
 * Issue 17: lineage of the SLA reports' rows (the breach report, and the agents, departments and channels of the
 * monthly report): the breaches, penalties, remedies, disputes and events behind each figure, for whoever reads
 * the report. Same query parameters as the report; settles first as the report does.
 */
@ApiTags('sla')
@Controller('api/v1/reports')
export class SlaLineageController {
  constructor(
    private readonly queries: QueryBus,
    private readonly admin: SlaPolicyAdmin,
    private readonly policies: SlaPolicyRegistry,
    private readonly projections: ProjectionEngine,
  ) {}

  @Get('sla-breaches/rows/:key/lineage')
  @Roles('supervisor', 'manager', 'auditor', 'analyst')
  @ApiRead({
    summary: 'The breaches, penalties, remedies, disputes and events behind one row of the SLA breach report (same query parameters)',
    operationId: 'getSlaBreachRowLineage',
    type: LineageResponseDto,
    errors: [400],
  })
  async breachLineage(@Param('key') key: string, @Query() query: BreachReportQueryDto): Promise<SlaLineage> {
    await this.settle();
    return this.queries.execute(
      new GetSlaLineageQuery({
        from: toIsoInstant(query.from),
        to: toIsoInstant(query.to),
        groupBy: query.groupBy ?? 'agent',
        key,
        asKnownAt: query.asKnownAt && toIsoInstant(query.asKnownAt),
      }),
    );
  }

  @Get('sla/monthly/rows/:key/lineage')
  @Roles('supervisor', 'manager', 'auditor', 'analyst')
  @ApiRead({
    summary: 'The events behind one row of the monthly SLA report: an agent, department or channel, a remedy type, missed investigations',
    operationId: 'getMonthlySlaRowLineage',
    type: LineageResponseDto,
    errors: [400, 404],
  })
  async monthlyLineage(@Param('key') key: string, @Query() query: MonthlyLineageQueryDto): Promise<SlaLineage> {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(query.month)) throw new BadRequestException('month must be YYYY-MM');
    await this.settle();
    const { businessCalendar } = await this.policies.current();
    const asKnownAt = query.asKnownAt && toIsoInstant(query.asKnownAt);
    const section = query.section ?? 'agents';
    if (section === 'remedies' || section === 'investigations')
      return this.queries.execute(
        new GetMonthlyFigureLineageQuery({ month: query.month, timeZone: businessCalendar.timeZone, section, key, asKnownAt }),
      );
    return this.queries.execute(
      new GetSlaLineageQuery({
        ...monthPeriod(query.month, businessCalendar.timeZone),
        groupBy: MONTHLY_SECTIONS[section],
        key,
        report: 'sla/monthly',
        asKnownAt,
      }),
    );
  }

  /** As the reports (SlaController): penalties executed and projected first (bounded). */
  private async settle(): Promise<void> {
    await this.admin.penaltiesSettled();
    await this.projections.waitForHead('disputes');
    await this.projections.waitForHead('penalties');
    await this.projections.waitForHead('sla-supervision');
  }
}
