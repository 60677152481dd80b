import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Optional, SafeLongText, SafeShortText } from '../../common/http/input-rules';
import { INVESTIGATION_STATUSES } from '../../read-models/sla-supervision/sla-supervision.query-handlers';

/** Issue 14: the investigation queue and the monthly publication. */
export class InvestigationsQueryDto {
  @ApiPropertyOptional() @Optional() @SafeShortText(100) department?: string;
  @ApiPropertyOptional({ enum: INVESTIGATION_STATUSES, description: 'default: open and overdue' })
  @Optional()
  @IsIn(INVESTIGATION_STATUSES)
  status?: string;
}

export class InvestigationDto {
  @ApiProperty() breachId: string;
  @ApiProperty() disputeId: string;
  @ApiProperty({ enum: ['first_response', 'resolution', 'payment'] }) kind: string;
  @ApiProperty({ enum: ['automatic', 'complaint'] }) source: string;
  @ApiProperty({ nullable: true, type: String }) department: string | null;
  @ApiProperty({ nullable: true, type: String }) assignee: string | null;
  @ApiProperty() detectedAt: string;
  @ApiProperty({ nullable: true, type: String, description: '3 working days after detection' }) dueAt: string | null;
  @ApiProperty({ enum: INVESTIGATION_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String }) overdueAt: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt: string | null;
}

export class InvestigationsDto {
  @ApiProperty({ type: [InvestigationDto] }) items: InvestigationDto[];
}

export class PublishMonthDto {
  @ApiPropertyOptional({ description: 'required for a correction of a month already published' })
  @Optional()
  @SafeLongText(4000)
  reason?: string;
}

export class PublishedRevisionDto {
  @ApiProperty({ type: 'integer' }) revision: number;
  @ApiProperty() at: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
}

export class PublishedMonthDto {
  @ApiProperty({ type: 'integer' }) revision: number;
  @ApiProperty() at: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'departments, agents (public aliases), customer compensation' })
  figures: Record<string, unknown>;
  @ApiProperty({ type: [PublishedRevisionDto] }) revisions: PublishedRevisionDto[];
}
