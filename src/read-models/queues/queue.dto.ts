import { ApiProperty } from '@nestjs/swagger';
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
  @ApiProperty({ type: [QueueItemDto], description: 'breached first, then at risk, then nearest due; at most 200' })
  items: QueueItemDto[];
  @ApiProperty({ description: 'the daily check list: dispute ids per item' }) checklist: QueueChecklistDto;
  @ApiProperty({ format: 'date-time' }) asOf: string;
}
