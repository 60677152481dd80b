import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../common/http/input-rules';
import { CHECKLIST_ITEMS } from '../disputes/daily-checklist';

/** Shapes of the queue routes, for the OpenAPI document (readQueue's Queue). */
export class QueueItemDto {
  @ApiProperty({ example: '6c0e2b1a-8d3f-4e5a-9b7c-1d2e3f4a5b6c' }) disputeId: string;
  @ApiProperty({ example: 'acknowledged' }) stage: string;
  @ApiProperty({ enum: ['open', 'awaiting_payment'] }) status: string;
  @ApiProperty({ enum: ['low', 'normal', 'high', 'urgent'] }) priority: string;
  @ApiProperty({ enum: ['ok', 'at_risk', 'breached'] }) slaState: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'first_response' }) dueKind: string | null;
  @ApiProperty() suggestedRemedy: string;
  @ApiProperty({ type: String, nullable: true }) assignee: string | null;
  @ApiProperty({ type: String, nullable: true }) department: string | null;
  @ApiProperty({ enum: CHECKLIST_ITEMS, isArray: true }) checklist: string[];
}

export class QueueChecklistDto {
  @ApiProperty({ type: [String] }) abnormal_logistics: string[];
  @ApiProperty({ type: [String] }) pending_return_or_refund: string[];
  @ApiProperty({ type: [String] }) waiting_on_customer: string[];
  @ApiProperty({ type: [String] }) waiting_on_third_party: string[];
  @ApiProperty({ type: [String], description: 'an agent asked for a supervisor (issue 15), until answered' }) needs_supervisor: string[];
}

export class QueueDto {
  @ApiProperty({ type: [QueueItemDto], description: 'breached first, then at risk, then nearest due; one page (`limit`, at most 200)' })
  items: QueueItemDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the next page (`?cursor=`), null on the last; later pages are ordered at the first page’s `asOf`',
  })
  nextCursor: string | null;
  @ApiProperty({ type: 'integer', description: 'open disputes in the queue, every page together' }) total: number;
  @ApiProperty({ description: 'the daily check list: dispute ids per item (of this page)' }) checklist: QueueChecklistDto;
  @ApiProperty({ format: 'date-time' }) asOf: string;
}

/** A queue's page: `limit` (default and most 200, what a queue answered before it had pages) and `cursor`. */
export class QueuePageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 200 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @Optional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}
