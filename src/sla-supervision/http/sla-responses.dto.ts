import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MoneyDto } from '../../disputes/http/money.dto';
import { AsKnownDto } from '../../read-models/reports/report.dto';

/**
 * Shapes of the SLA routes for the OpenAPI document (the controller returns the domain's objects; the
 * conformance check of the integration tests compares every response with these).
 */
const ISO = (example: string) => ({ type: String, format: 'date-time', example });
const COUNT = { type: 'integer', minimum: 0 } as const;

export class SlaTargetDto {
  @ApiProperty({ example: 'PT5M', description: 'ISO-8601 duration; on a business clock P1D is one working day' }) target: string;
  @ApiProperty({ enum: ['calendar', 'business'] }) clock: string;
}

export class FirstResponseTargetsDto {
  @ApiProperty() phone: SlaTargetDto;
  @ApiProperty() chat: SlaTargetDto;
  @ApiProperty() email: SlaTargetDto;
  @ApiProperty() web: SlaTargetDto;
}

export class BusinessCalendarDto {
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone: string;
  @ApiProperty({ type: 'integer', isArray: true, example: [1, 2, 3, 4, 5], description: 'ISO weekdays, 1 = Monday' }) days: number[];
  @ApiProperty({ example: '09:00' }) open: string;
  @ApiProperty({ example: '18:00', description: 'exclusive' }) close: string;
  @ApiProperty({ type: [String], example: ['2026-10-01'], description: 'local dates YYYY-MM-DD' }) holidays: string[];
}

/** The body of PUT /sla/policy and of a what-if's `policy` (validated by validateSlaPolicy: 400 naming the field). */
export class SlaPolicyInputDto {
  @ApiProperty() firstResponse: FirstResponseTargetsDto;
  @ApiProperty() resolution: SlaTargetDto;
  @ApiProperty() payment: SlaTargetDto;
  @ApiProperty({ example: 0.8, minimum: 0, maximum: 1, description: 'a running clock past this fraction of its target is at risk' })
  atRiskRatio: number;
  @ApiProperty() businessCalendar: BusinessCalendarDto;
  @ApiPropertyOptional({ description: 'why the policy changes (kept in the event)' }) reason?: string;
}

export class SlaPolicyDto {
  @ApiProperty({ type: 'integer', example: 2 }) version: number;
  @ApiProperty() firstResponse: FirstResponseTargetsDto;
  @ApiProperty() resolution: SlaTargetDto;
  @ApiProperty() payment: SlaTargetDto;
  @ApiProperty({ example: 0.8 }) atRiskRatio: number;
  @ApiProperty() businessCalendar: BusinessCalendarDto;
}

export class PeakWindowViewDto {
  @ApiProperty({ format: 'uuid' }) windowId: string;
  @ApiProperty(ISO('2026-11-11T00:00:00.000Z')) start: string;
  @ApiProperty(ISO('2026-11-12T00:00:00.000Z')) end: string;
  @ApiProperty({ example: 30, minimum: 0, maximum: 50 }) extensionPercent: number;
  @ApiProperty({ example: 'Singles Day' }) reason: string;
  @ApiPropertyOptional(ISO('2026-11-01T08:00:00.000Z')) at?: string;
}

export class SlaPolicyInForceDto extends SlaPolicyDto {
  @ApiProperty({ type: [PeakWindowViewDto], description: 'every announced peak window' }) peakWindows: PeakWindowViewDto[];
}

export class BreachReportRowDto {
  @ApiProperty({ example: 'agent-1', description: 'agent id, department or channel' }) key: string;
  @ApiProperty(COUNT) detected: number;
  @ApiProperty(COUNT) confirmed: number;
  @ApiProperty(COUNT) exempted: number;
  @ApiProperty({ type: 'number', nullable: true, example: 420 }) medianFirstResponseSeconds: number | null;
  @ApiProperty({ type: 'number', nullable: true, example: 1800 }) p90FirstResponseSeconds: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 420000, description: 'medianFirstResponseSeconds in milliseconds' })
  medianFirstResponseMs: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 1800000, description: 'p90FirstResponseSeconds in milliseconds' })
  p90FirstResponseMs: number | null;
  @ApiProperty({ type: 'integer', example: -2, description: 'penalty points (negative: deducted), reversals excluded' }) points: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { warning: 1, training: 1 },
    description: 'penalty actions taken, by kind',
  })
  actions: Record<string, number>;
  @ApiProperty({ ...COUNT, description: "customer remedies the period's breaches stand to owe (revoked ones excluded)" })
  remedies: number;
}

export class BreachReportDto extends AsKnownDto {
  @ApiProperty({ type: [BreachReportRowDto] }) rows: BreachReportRowDto[];
}

export class ApologyFiguresDto {
  @ApiProperty({ ...COUNT, description: 'apologies issued, not yet sent' }) owed: number;
  @ApiProperty({ ...COUNT, description: 'apologies sent' }) sent: number;
}

export class CustomerCompensationDto {
  @ApiProperty({ ...COUNT, description: 'remedies issued in the month that still stand' }) issued: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0 },
    example: { apology: 3, coupon: 2 },
    description: 'standing remedies by type (apology, coupon, service_upgrade)',
  })
  byType: Record<string, number>;
  @ApiProperty({ ...COUNT, description: 'remedies issued in the month and revoked since (an exemption)' }) revoked: number;
  @ApiProperty({ type: MoneyDto, description: 'what the standing coupons are worth on their orders' }) couponValue: MoneyDto;
  @ApiProperty({ ...COUNT, example: 3, description: 'months of service upgrade the standing upgrades give' }) serviceUpgradeMonths: number;
  @ApiProperty({ type: ApologyFiguresDto }) apologies: ApologyFiguresDto;
}

export class InvestigationFiguresDto {
  @ApiProperty({ ...COUNT, description: 'investigations whose 3-working-day deadline passed undecided in the month' })
  missedDeadline: number;
}

export class MonthlySlaReportDto extends AsKnownDto {
  @ApiProperty({ example: '2026-11' }) month: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone: string;
  @ApiProperty(ISO('2026-10-31T16:00:00.000Z')) from: string;
  @ApiProperty(ISO('2026-11-30T16:00:00.000Z')) to: string;
  @ApiProperty({ type: [BreachReportRowDto] }) agents: BreachReportRowDto[];
  @ApiProperty({ type: [BreachReportRowDto] }) departments: BreachReportRowDto[];
  @ApiProperty({ type: [BreachReportRowDto] }) channels: BreachReportRowDto[];
  @ApiProperty() customerCompensation: CustomerCompensationDto;
  @ApiProperty() investigations: InvestigationFiguresDto;
}

export class WhatIfBreachCountsDto {
  @ApiProperty(COUNT) first_response: number;
  @ApiProperty(COUNT) resolution: number;
  @ApiProperty(COUNT) payment: number;
  @ApiProperty(COUNT) total: number;
}

export class WhatIfRemediesDto {
  @ApiProperty(COUNT) apology: number;
  @ApiProperty(COUNT) coupon: number;
  @ApiProperty(COUNT) service_upgrade: number;
}

/** Issue 14: the penalty actions the ladder would bring (an action none would bring is absent). */
export class WhatIfPenaltyActionsDto {
  @ApiPropertyOptional(COUNT) warning?: number;
  @ApiPropertyOptional(COUNT) training?: number;
  @ApiPropertyOptional(COUNT) suspension?: number;
  @ApiPropertyOptional(COUNT) improvement_report?: number;
  @ApiPropertyOptional(COUNT) notice_of_criticism?: number;
}

export class WhatIfSideDto {
  @ApiProperty() breaches: WhatIfBreachCountsDto;
  @ApiProperty({ type: 'integer', description: 'if every breach were confirmed' }) agentPoints: number;
  @ApiProperty({ type: 'integer' }) departmentPoints: number;
  @ApiProperty() remedies: WhatIfRemediesDto;
  @ApiProperty({ type: WhatIfPenaltyActionsDto, description: 'the penalty actions the ladder would bring, as the real penalties' })
  penaltyActions: WhatIfPenaltyActionsDto;
}

export class SimulatedBreachDto {
  @ApiProperty() disputeId: string;
  @ApiProperty({ example: 'first_response' }) clockKey: string;
  @ApiProperty({ enum: ['first_response', 'resolution', 'payment'] }) kind: string;
  @ApiProperty(ISO('2026-11-21T10:00:00.000Z')) dueAt: string;
  @ApiProperty({ type: String, nullable: true }) agent: string | null;
  @ApiProperty({ type: String, nullable: true }) department: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'first response only: how late, in milliseconds' }) delayMs: number | null;
  @ApiProperty({ example: '2026-11', description: 'the month the breach counts in for penalties (business calendar zone)' })
  month: string;
}

export class WhatIfReportDto {
  @ApiProperty({ ...COUNT, description: 'disputes replayed' }) disputes: number;
  @ApiProperty(ISO('2026-12-01T00:00:00.000Z')) until: string;
  @ApiProperty() current: WhatIfSideDto;
  @ApiProperty() proposed: WhatIfSideDto;
  @ApiProperty({ type: [SimulatedBreachDto], description: 'at most 200' }) onlyUnderCurrent: SimulatedBreachDto[];
  @ApiProperty({ type: [SimulatedBreachDto], description: 'at most 200' }) onlyUnderProposed: SimulatedBreachDto[];
}
