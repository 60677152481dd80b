import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional, SafeLongText } from '../../common/http/input-rules';

/** Issue 14: bodies and answers of the standing routes. */
export class ImprovementReportDto {
  @ApiProperty({ description: 'why the breaches happened' }) @SafeLongText(8000) causes: string;
  @ApiProperty({ description: 'what the agent changes so they do not happen again' }) @SafeLongText(8000) fixes: string;
}

export class ReviewNoteDto {
  @ApiPropertyOptional() @Optional() @SafeLongText(4000) note?: string;
}

export class SendBackDto {
  @ApiProperty({ description: 'what the report must address' }) @SafeLongText(4000) reason: string;
}

export class OpenActionDto {
  @ApiProperty({ enum: ['training', 'improvement_report', 'suspension'] }) action: string;
  @ApiProperty() breachId: string;
  @ApiProperty({ nullable: true, type: String }) dueAt: string | null;
  @ApiProperty({ example: 'due' }) status: string;
}

export class SuspensionDto {
  @ApiProperty() breachId: string;
  @ApiProperty() startsAt: string;
}

export class StandingHistoryDto {
  @ApiProperty({ example: 'PenaltyApplied' }) type: string;
  @ApiProperty() at: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
}

export class StandingDto {
  @ApiProperty({ enum: ['agent', 'department'] }) subjectType: string;
  @ApiProperty() subjectId: string;
  @ApiProperty({ type: 'integer', description: "the standing's version (as its ETag): If-Match on the standing's writes compares with it" })
  version: number;
  @ApiProperty({ example: '2026-04' }) month: string;
  @ApiProperty({ type: 'integer', description: 'points this month (negative: deducted), exempted breaches excluded' })
  pointsThisMonth: number;
  @ApiProperty({ type: 'integer', description: "standing confirmed breaches this month: the ladder's rung" }) rung: number;
  @ApiProperty({ type: SuspensionDto, nullable: true }) suspended: SuspensionDto | null;
  @ApiProperty({ type: [OpenActionDto] }) openActions: OpenActionDto[];
  @ApiProperty({ type: [StandingHistoryDto] }) history: StandingHistoryDto[];
}
