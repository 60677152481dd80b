import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../common/http/input-rules';
import { CONTACT_CHANNELS, CONTACT_DIRECTIONS, EVIDENCE_KINDS } from '../domain/case-file.types';
import { STAGES } from '../domain/dispute.types';
import { MoneyDto } from './money.dto';

/** Response shapes of the case workspace (issue 15), for the OpenAPI document; kept in step with case-workspace-view.ts. */
const ISO = { type: String, format: 'date-time' } as const;
const NULLABLE_ISO = { ...ISO, nullable: true } as const;
const TEXT = (example: string, description?: string) => ({
  type: String,
  nullable: true,
  example,
  ...(description ? { description } : {}),
});
const PERSONAL = 'personal data: null for analysts';

export class WorkspacePageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @Optional()
  @IsString()
  @MaxLength(100)
  cursor?: string;
}

export class ComplaintDto {
  @ApiProperty(TEXT('the kettle leaks at the seam', PERSONAL)) description: string | null;
  @ApiProperty({ example: 'kettle-2l' }) productSku: string;
  @ApiProperty({ type: String, nullable: true, example: 'LEAK' }) defectCode: string | null;
  @ApiProperty(ISO) purchasedAt: string;
  @ApiProperty(NULLABLE_ISO) deliveredAt: string | null;
  @ApiProperty() proofOfPurchase: boolean;
  @ApiProperty({ type: Boolean, nullable: true }) itemIntact: boolean | null;
  @ApiProperty({ example: 'refund' }) requestedRemedy: string;
  @ApiProperty({ type: MoneyDto, nullable: true }) amountClaimed: MoneyDto | null;
}

export class AcknowledgementDto {
  @ApiProperty(TEXT('We are sorry; we are looking into it.', PERSONAL)) message: string | null;
  @ApiProperty() complex: boolean;
  @ApiProperty(NULLABLE_ISO) estimatedResolutionAt: string | null;
  @ApiProperty({ type: String, nullable: true }) plan: string | null;
  @ApiProperty(NULLABLE_ISO) respondedAt: string | null;
  @ApiProperty(NULLABLE_ISO) recordedAt: string | null;
}

export class DeadlineDto {
  @ApiProperty({ enum: ['first_response', 'resolution', 'payment', 'estimated_resolution', 'escalation_after_rejection', 'reopen_window'] })
  kind: string;
  @ApiProperty(ISO) dueAt: string;
  @ApiProperty() overdue: boolean;
}

export class DeadlinesDto {
  @ApiProperty({ type: [DeadlineDto], description: 'every running clock and open window, nearest first' }) items: DeadlineDto[];
  @ApiProperty({ type: DeadlineDto, nullable: true, description: 'the single nearest deadline' }) next: DeadlineDto | null;
}

export class ResolutionDto {
  @ApiProperty({ type: 'object', nullable: true, description: '{ reason, at, escalationDeadline }', additionalProperties: true })
  rejection: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', nullable: true, description: '{ reason, at }', additionalProperties: true }) withdrawal: Record<
    string,
    unknown
  > | null;
  @ApiProperty({ type: 'object', nullable: true, description: '{ resolution, at, reopenDeadline }', additionalProperties: true })
  closure: Record<string, unknown> | null;
}

export class FeedbackViewDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 4 }) score: number;
  @ApiProperty(TEXT('slow but fair', PERSONAL)) comment: string | null;
  @ApiProperty(ISO) at: string;
}

export class NoteDto {
  @ApiProperty() noteId: string;
  @ApiProperty(TEXT('asked the warehouse for the batch number', PERSONAL)) text: string | null;
  @ApiProperty({ example: 'agent-1' }) author: string;
  @ApiProperty(ISO) at: string;
}

export class ContactDto {
  @ApiProperty() contactId: string;
  @ApiProperty({ enum: CONTACT_CHANNELS }) channel: string;
  @ApiProperty({ enum: CONTACT_DIRECTIONS }) direction: string;
  @ApiProperty(ISO) contactedAt: string;
  @ApiProperty(TEXT('customer confirms the leak', PERSONAL)) summary: string | null;
  @ApiProperty(TEXT('call back by Friday', PERSONAL)) promises: string | null;
  @ApiProperty({ example: 'agent-1' }) recordedBy: string;
  @ApiProperty(ISO) at: string;
}

export class NotePageDto {
  @ApiProperty({ type: [NoteDto] }) items: NoteDto[];
  @ApiProperty({ type: 'integer', example: 3 }) total: number;
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ContactPageDto {
  @ApiProperty({ type: [ContactDto] }) items: ContactDto[];
  @ApiProperty({ type: 'integer', example: 1 }) total: number;
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class EvidenceDto {
  @ApiProperty() evidenceId: string;
  @ApiProperty({ enum: EVIDENCE_KINDS }) kind: string;
  @ApiProperty(TEXT('receipt.pdf', PERSONAL)) fileName: string | null;
  @ApiProperty({ example: 'application/pdf' }) contentType: string;
  @ApiProperty({ type: 'integer', example: 20480, description: 'bytes' }) size: number;
  @ApiProperty({ description: 'SHA-256 of the content, recorded in the event' }) sha256: string;
  @ApiProperty(TEXT('till receipt', PERSONAL)) description: string | null;
  @ApiProperty({ example: 'agent-1' }) attachedBy: string;
  @ApiProperty(ISO) at: string;
  @ApiProperty({ example: '/api/v1/disputes/6c0e…/evidence/2f1c…/content' }) download: string;
}

export class ChecklistItemDto {
  @ApiProperty({ enum: STAGES }) stage: string;
  @ApiProperty({ enum: EVIDENCE_KINDS }) kind: string;
  @ApiProperty({ description: 'entering the stage is refused while it is missing' }) enforced: boolean;
  @ApiProperty({ description: 'the stage was reached' }) due: boolean;
  @ApiProperty() onFile: boolean;
  @ApiProperty({ type: [String] }) evidenceIds: string[];
}

export class EvidenceListDto {
  @ApiProperty({ type: 'integer', example: 1, description: 'the evidence policy version the checklist follows' }) policyVersion: number;
  @ApiProperty({ type: [EvidenceDto] }) items: EvidenceDto[];
  @ApiProperty({ type: [ChecklistItemDto] }) checklist: ChecklistItemDto[];
}

export class InternalEscalationDto {
  @ApiProperty() escalationId: string;
  @ApiProperty(TEXT('customer threatens to go to the press', PERSONAL)) reason: string | null;
  @ApiProperty({ example: 'agent-1' }) escalatedBy: string;
  @ApiProperty(ISO) at: string;
}
