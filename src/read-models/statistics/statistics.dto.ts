import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { MoneyDto } from '../../disputes/http/money.dto';
import { REMEDIES } from '../../disputes/domain/dispute.types';

/**
 * Shapes of the statistics routes (issue 17) for the OpenAPI document: one row DTO per report, as its `row`
 * function builds it (src/read-models/statistics/*-report.ts), after `key` and `disputes` (report-kit computeReport).
 */
const COUNT = { type: 'integer', minimum: 0 } as const;
const RATE = { type: 'number', minimum: 0, maximum: 1, nullable: true } as const;
const INSTANT = (example: string) => ({ type: String, format: 'date-time', example });
const COUNTS_BY = (description: string, example: Record<string, number>) => ({
  type: 'object' as const,
  additionalProperties: { type: 'integer', minimum: 0 },
  description,
  example,
});

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

/** What every row has: its group key and how many disputes are behind it (its lineage). */
export class StatisticsRowDto {
  @ApiProperty({ example: 'quality_defect', description: 'the group key (agent, department, category, …)' }) key: string;
  @ApiProperty({ ...COUNT, minimum: 1, description: 'disputes behind the row' }) disputes: number;
}

export class SatisfactionRowDto extends StatisticsRowDto {
  @ApiProperty({ ...COUNT, description: 'disputes closed (asked for feedback)' }) closed: number;
  @ApiProperty({ ...COUNT, description: 'feedback received' }) responses: number;
  @ApiProperty({ ...RATE, example: 0.75, description: 'responses / closed' }) responseRate: number | null;
  @ApiProperty({ type: 'number', minimum: 1, maximum: 5, nullable: true, example: 4.25, description: 'null: no feedback' })
  averageScore: number | null;
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(['1', '2', '3', '4', '5'].map((score) => [score, COUNT])),
    required: ['1', '2', '3', '4', '5'],
    description: 'responses by score (1-5)',
    example: { 1: 0, 2: 0, 3: 1, 4: 2, 5: 1 },
  })
  scores: Record<'1' | '2' | '3' | '4' | '5', number>;
}

export class CategoryRowDto extends StatisticsRowDto {
  @ApiPropertyOptional({
    enum: REMEDIES,
    isArray: true,
    description: "only with groupBy=category: the playbook's suggested remedies for the category",
  })
  playbookRemedies?: string[];
  @ApiProperty({ ...COUNT, description: 'disputes reopened at least once' }) reopened: number;
  @ApiProperty({ type: 'number', minimum: 0, maximum: 1, example: 0.1, description: 'reopened / disputes' }) reopenRate: number;
  @ApiProperty({ ...COUNT, description: 'disputes escalated to mediation, arbitration or litigation' }) escalated: number;
  @ApiProperty({ type: 'number', minimum: 0, maximum: 1, example: 0.05, description: 'escalated / disputes' }) escalationRate: number;
  @ApiProperty(COUNTS_BY('disputes by remedy requested at filing', { refund: 3, exchange: 1 })) requestedRemedies: Record<string, number>;
  @ApiProperty(COUNTS_BY('compensations not declined, by type', { refund: 2 })) givenRemedies: Record<string, number>;
  @ApiProperty({ ...COUNT, description: 'disputes with a compensation not declined' }) compensated: number;
  @ApiProperty({ ...COUNT, description: "compensated disputes given one of the playbook's remedies" }) followedPlaybook: number;
  @ApiProperty({ ...RATE, description: 'followedPlaybook / compensated (null: none compensated)' }) followedPlaybookRate: number | null;
  @ApiProperty({ ...COUNT, description: 'SLA breaches' }) breaches: number;
  @ApiProperty({ ...COUNT, description: 'SLA breaches exempted' }) exemptedBreaches: number;
}

export class StageRowDto extends StatisticsRowDto {
  @ApiProperty({ ...COUNT, description: 'stays entered' }) entered: number;
  @ApiProperty({ ...COUNT, description: 'stays left (completed)' }) left: number;
  @ApiProperty({ type: 'number', minimum: 0, nullable: true, example: 3600, description: 'null: no completed stay' })
  medianSeconds: number | null;
  @ApiProperty({ type: 'integer', minimum: 0, nullable: true, example: 86400, description: 'null: no completed stay' })
  p90Seconds: number | null;
  @ApiProperty({ type: 'integer', minimum: 0, nullable: true, example: 3600000, description: 'medianSeconds in milliseconds' })
  medianMs: number | null;
  @ApiProperty({ type: 'integer', minimum: 0, nullable: true, example: 86400000, description: 'p90Seconds in milliseconds' })
  p90Ms: number | null;
}

export class CostRowDto extends StatisticsRowDto {
  @ApiProperty({ ...COUNT, description: 'compensations approved or paid' }) count: number;
  @ApiProperty({ type: MoneyDto, description: 'their cost (the priced ones)' }) cost: MoneyDto;
  @ApiProperty({ ...COUNT, description: 'compensations that could not be priced' }) unpriced: number;
  @ApiProperty(COUNTS_BY('cost (minor units) by compensation type', { refund: 19900, coupon: 1990 })) costByType: Record<string, number>;
}

export class RepeatRowDto extends StatisticsRowDto {
  @ApiProperty(INSTANT('2026-11-02T08:00:00.000Z')) firstFiledAt: string;
  @ApiProperty(INSTANT('2026-11-20T08:00:00.000Z')) lastFiledAt: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 1 },
    description: 'disputes by category',
    example: { quality_defect: 2 },
  })
  categories: Record<string, number>;
}

/** What every statistics report answers beside its rows. */
export class StatisticsReportDto {
  @ApiProperty({ example: 'satisfaction' }) report: string;
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ example: 'agent' }) groupBy: string;
  @ApiProperty({ nullable: true, type: String }) department: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'null: every event recorded so far' })
  asKnownAt: string | null;
  @ApiProperty({ description: 'which events the figures come from' }) basis: string;
}

export class SatisfactionReportDto extends StatisticsReportDto {
  @ApiProperty({ type: [SatisfactionRowDto] }) rows: SatisfactionRowDto[];
}
export class CategoryReportDto extends StatisticsReportDto {
  @ApiProperty({ type: [CategoryRowDto] }) rows: CategoryRowDto[];
}
export class StageReportDto extends StatisticsReportDto {
  @ApiProperty({ type: [StageRowDto] }) rows: StageRowDto[];
}
export class CostReportDto extends StatisticsReportDto {
  @ApiProperty({ type: [CostRowDto] }) rows: CostRowDto[];
}
export class RepeatReportDto extends StatisticsReportDto {
  @ApiProperty({ type: [RepeatRowDto] }) rows: RepeatRowDto[];
}

export class LineageEventDto {
  @ApiProperty() eventId: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) position: number;
  @ApiProperty() disputeId: string;
  @ApiProperty({ example: 'DisputeFiled' }) type: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

export class LineageResponseDto {
  @ApiProperty({ example: 'categories' }) report: string;
  @ApiProperty() key: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) asKnownAt: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: "the report's row for the key, as the report answers it (null: no such row)",
  })
  row: Record<string, unknown> | null;
  @ApiProperty({ type: [String] }) disputeIds: string[];
  @ApiPropertyOptional({ type: [String], description: 'report `compensations` only: the compensations the row sums' })
  compensationIds?: string[];
  @ApiPropertyOptional({ type: [String], description: 'SLA reports only: the breaches the row counts' })
  breachIds?: string[];
  @ApiPropertyOptional({ type: [String], description: 'SLA reports only: the standing penalties the row sums (points, actions)' })
  penaltyIds?: string[];
  @ApiPropertyOptional({ type: [String], description: "SLA reports only: the standing remedies of the row's breaches" })
  remedyIds?: string[];
  @ApiProperty({ type: [LineageEventDto] }) events: LineageEventDto[];
}
