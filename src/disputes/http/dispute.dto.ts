import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  CATEGORIES,
  CHANNELS,
  FORUMS,
  NEGOTIATION_ACTIONS,
  OUTCOME_RESULTS,
  PARTIES,
  PRIORITIES,
  REMEDIES,
  STAGES,
  STATUSES,
  Category,
  Channel,
  Forum,
  NegotiationAction,
  OutcomeResult,
  Party,
  Priority,
  Remedy,
} from '../domain/dispute.types';
import { MoneyDto, moneyTransform } from './money.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsSafeText, Optional, SafeLongText, SafeShortText } from '../../common/http/input-rules';

/**
 * Request bodies of API.md's write routes. Unknown fields are refused (whitelist + forbidNonWhitelisted); an
 * optional field is left out or given a value, never null (`Optional`); every id and text follows the input
 * rules of src/common/http/input-rules.ts.
 */
const ID = 200;
const TEXT = 4000;
const ISO = { strict: true, strictSeparator: true } as const;

const ShortText = () => SafeShortText(ID);
const LongText = () => SafeLongText(TEXT);
/** Optional free text (notes, terms, comments): "" is accepted, as before. */
const NoteText = () => SafeLongText(TEXT, { allowEmpty: true });
/** An id as a read filter: as before, an empty one is accepted (it matches nothing). */
const QueryId = () => applyDecorators(IsString(), MaxLength(ID), IsSafeText({ allowEmpty: true }));

export class FileDisputeDto {
  @ApiProperty({ example: 'c-1', maxLength: 200 })
  @ShortText() customerId: string;
  @ApiProperty({ example: 'o-1', maxLength: 200 })
  @ShortText() orderId: string;
  @ApiProperty({ example: 'kettle-2l', maxLength: 200 })
  @ShortText() productSku: string;
  @ApiProperty({ enum: CHANNELS, example: 'web' })
  @IsIn(CHANNELS) channel: Channel;
  @ApiProperty({ enum: CATEGORIES, example: 'quality_defect' })
  @IsIn(CATEGORIES) category: Category;
  @ApiProperty({ example: 'the kettle leaks at the seam', maxLength: 4000 })
  @LongText() description: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-20T00:00:00Z' })
  @IsISO8601(ISO) purchasedAt: string;
  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-21T00:00:00Z' })
  @Optional() @IsISO8601(ISO) deliveredAt?: string;
  @ApiProperty({ enum: REMEDIES, example: 'refund' })
  @IsIn(REMEDIES) requestedRemedy: Remedy;
  @ApiPropertyOptional({ type: MoneyDto, description: 'also accepted: a bare integer of CNY minor units' })
  @Optional() @moneyTransform() @IsObject() @ValidateNested() @Type(() => MoneyDto) amountClaimed?: MoneyDto;
  @ApiPropertyOptional({ example: true })
  @Optional() @IsBoolean() proofOfPurchase?: boolean;
  @ApiPropertyOptional({ example: 'LEAK', maxLength: 200 })
  @Optional() @ShortText() defectCode?: string;
  @ApiPropertyOptional({ example: true })
  @Optional() @IsBoolean() itemIntact?: boolean;
  @ApiPropertyOptional({ enum: PRIORITIES, default: 'normal' })
  @Optional() @IsIn(PRIORITIES) priority?: Priority;
}

export class AcknowledgeDto {
  @ApiProperty({ example: 'We are sorry; we are looking into it.', maxLength: 4000 })
  @LongText() message: string;
  @ApiPropertyOptional({ description: 'a complex case: estimatedResolutionAt and plan become required' })
  @Optional() @IsBoolean() complex?: boolean;
  @ApiPropertyOptional({ format: 'date-time', description: 'required when complex' })
  @ValidateIf((o: AcknowledgeDto) => o.complex === true || o.estimatedResolutionAt !== undefined)
  @IsISO8601(ISO)
  estimatedResolutionAt?: string;
  @ApiPropertyOptional({ description: 'the process, required when complex', maxLength: 4000 })
  @ValidateIf((o: AcknowledgeDto) => o.complex === true || o.plan !== undefined)
  @LongText()
  plan?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'when the response really happened (e.g. a phone call logged later): not before filing, not in the future' })
  @Optional() @IsISO8601(ISO) respondedAt?: string;
}

export class AssignDto {
  @ApiProperty({ example: 'agent-1', maxLength: 200 })
  @ShortText() agentId: string;
  @ApiProperty({ example: 'after-sales', maxLength: 200 })
  @ShortText() department: string;
}

export class NegotiateDto {
  @ApiProperty({ enum: NEGOTIATION_ACTIONS, example: 'offer' })
  @IsIn(NEGOTIATION_ACTIONS) action: NegotiationAction;
  @ApiProperty({ enum: PARTIES, example: 'merchant' })
  @IsIn(PARTIES) party: Party;
  @ApiPropertyOptional({ enum: REMEDIES, description: 'required for offer and counter', example: 'refund' })
  @Optional() @IsIn(REMEDIES) remedy?: Remedy;
  @ApiPropertyOptional({ type: MoneyDto, description: 'required for money remedies (refund, compensation)' })
  @Optional() @moneyTransform() @IsObject() @ValidateNested() @Type(() => MoneyDto) amount?: MoneyDto;
  @ApiPropertyOptional({ maxLength: 4000 })
  @Optional() @NoteText() note?: string;
}

export class EscalateDto {
  @ApiProperty({ enum: FORUMS, example: 'mediation' })
  @IsIn(FORUMS) forum: Forum;
  @ApiProperty({ example: 'Marketplace platform', maxLength: 200 })
  @ShortText() institution: string;
  @ApiProperty({ example: 'no agreement after two offers', maxLength: 4000 })
  @LongText() reason: string;
}

export class OutcomeDto {
  @ApiProperty({ enum: FORUMS, example: 'mediation' })
  @IsIn(FORUMS) forum: Forum;
  @ApiProperty({ enum: OUTCOME_RESULTS, example: 'settled' })
  @IsIn(OUTCOME_RESULTS) result: OutcomeResult;
  @ApiPropertyOptional({ type: MoneyDto, description: 'settled, award and judgment: the amount due' })
  @Optional() @moneyTransform() @IsObject() @ValidateNested() @Type(() => MoneyDto) amount?: MoneyDto;
  @ApiPropertyOptional({ example: 'refund half', maxLength: 4000 })
  @Optional() @NoteText() terms?: string;
}

export class ProposeCompensationDto {
  @ApiProperty({ enum: REMEDIES, example: 'refund' })
  @IsIn(REMEDIES) type: Remedy;
  @ApiPropertyOptional({ type: MoneyDto, description: 'required for refund and compensation' })
  @Optional() @moneyTransform() @IsObject() @ValidateNested() @Type(() => MoneyDto) amount?: MoneyDto;
  @ApiProperty({ example: 'seam leak confirmed on photos', maxLength: 4000 })
  @LongText() reason: string;
}

export class ApproveCompensationDto {
  @ApiPropertyOptional({ example: 'within my limit', maxLength: 4000 })
  @Optional() @NoteText() note?: string;
}

export class DeclineCompensationDto {
  @ApiProperty({ example: 'above the policy for this category', maxLength: 4000 })
  @LongText() reason: string;
}

export class PayCompensationDto {
  @ApiPropertyOptional({ example: 'bank-123', maxLength: 200 })
  @Optional() @ShortText() paymentReference?: string;
}

export class ReasonDto {
  @ApiProperty({ example: 'the customer asked to stop the case', maxLength: 4000 })
  @LongText() reason: string;
}

export class CloseDto {
  @ApiProperty({ example: 'refund paid, customer satisfied', maxLength: 4000 })
  @LongText() resolution: string;
}

export class FeedbackDto {
  @ApiProperty({ minimum: 1, maximum: 5, example: 4 })
  @IsInt() @Min(1) @Max(5) score: number;
  @ApiPropertyOptional({ example: 'slow but fair', maxLength: 4000 })
  @Optional() @NoteText() comment?: string;
}

export class ListDisputesQueryDto {
  @ApiPropertyOptional({ enum: STAGES })
  @Optional() @IsIn(STAGES) stage?: string;
  @ApiPropertyOptional({ enum: STATUSES })
  @Optional() @IsIn(STATUSES) status?: string;
  @ApiPropertyOptional({ example: 'agent-1' })
  @Optional() @QueryId() assignee?: string;
  @ApiPropertyOptional({ example: 'c-1' })
  @Optional() @QueryId() customerId?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @Optional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @Optional() @IsString() @MaxLength(1000) cursor?: string;
}

export class HistoryQueryDto {
  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-25T00:00:00Z', description: 'the events whose occurredAt is at or before this moment (give asOf or revision)' })
  @Optional() @IsISO8601(ISO) asOf?: string;
  @ApiPropertyOptional({ example: 3, description: 'the events up to and including this revision, as recorded (give asOf or revision)' })
  @Optional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000_000) revision?: number;
}
