import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
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

/** Request bodies of API.md's write routes. Unknown fields are refused (whitelist + forbidNonWhitelisted). */
const ID = 200;
const TEXT = 4000;
const ISO = { strict: true, strictSeparator: true } as const;

const ShortText = () => applyDecorators(IsString(), IsNotEmpty(), MaxLength(ID));
const LongText = () => applyDecorators(IsString(), IsNotEmpty(), MaxLength(TEXT));

export class FileDisputeDto {
  @ShortText() customerId: string;
  @ShortText() orderId: string;
  @ShortText() productSku: string;
  @IsIn(CHANNELS) channel: Channel;
  @IsIn(CATEGORIES) category: Category;
  @LongText() description: string;
  @IsISO8601(ISO) purchasedAt: string;
  @IsOptional() @IsISO8601(ISO) deliveredAt?: string;
  @IsIn(REMEDIES) requestedRemedy: Remedy;
  @IsOptional() @moneyTransform() @ValidateNested() @Type(() => MoneyDto) amountClaimed?: MoneyDto;
  @IsOptional() @IsBoolean() proofOfPurchase?: boolean;
  @IsOptional() @ShortText() defectCode?: string;
  @IsOptional() @IsBoolean() itemIntact?: boolean;
  @IsOptional() @IsIn(PRIORITIES) priority?: Priority;
}

export class AcknowledgeDto {
  @LongText() message: string;
  @IsOptional() @IsBoolean() complex?: boolean;
  @ValidateIf((o: AcknowledgeDto) => o.complex === true || o.estimatedResolutionAt !== undefined)
  @IsISO8601(ISO)
  estimatedResolutionAt?: string;
  @ValidateIf((o: AcknowledgeDto) => o.complex === true || o.plan !== undefined)
  @LongText()
  plan?: string;
  @IsOptional() @IsISO8601(ISO) respondedAt?: string;
}

export class AssignDto {
  @ShortText() agentId: string;
  @ShortText() department: string;
}

export class NegotiateDto {
  @IsIn(NEGOTIATION_ACTIONS) action: NegotiationAction;
  @IsIn(PARTIES) party: Party;
  @IsOptional() @IsIn(REMEDIES) remedy?: Remedy;
  @IsOptional() @moneyTransform() @ValidateNested() @Type(() => MoneyDto) amount?: MoneyDto;
  @IsOptional() @IsString() @MaxLength(TEXT) note?: string;
}

export class EscalateDto {
  @IsIn(FORUMS) forum: Forum;
  @ShortText() institution: string;
  @LongText() reason: string;
}

export class OutcomeDto {
  @IsIn(FORUMS) forum: Forum;
  @IsIn(OUTCOME_RESULTS) result: OutcomeResult;
  @IsOptional() @moneyTransform() @ValidateNested() @Type(() => MoneyDto) amount?: MoneyDto;
  @IsOptional() @IsString() @MaxLength(TEXT) terms?: string;
}

export class ProposeCompensationDto {
  @IsIn(REMEDIES) type: Remedy;
  @IsOptional() @moneyTransform() @ValidateNested() @Type(() => MoneyDto) amount?: MoneyDto;
  @LongText() reason: string;
}

export class ApproveCompensationDto {
  @IsOptional() @IsString() @MaxLength(TEXT) note?: string;
}

export class DeclineCompensationDto {
  @LongText() reason: string;
}

export class PayCompensationDto {
  @IsOptional() @ShortText() paymentReference?: string;
}

export class ReasonDto {
  @LongText() reason: string;
}

export class CloseDto {
  @LongText() resolution: string;
}

export class FeedbackDto {
  @IsInt() @Min(1) @Max(5) score: number;
  @IsOptional() @IsString() @MaxLength(TEXT) comment?: string;
}

export class ListDisputesQueryDto {
  @IsOptional() @IsIn(STAGES) stage?: string;
  @IsOptional() @IsIn(STATUSES) status?: string;
  @IsOptional() @IsString() @MaxLength(ID) assignee?: string;
  @IsOptional() @IsString() @MaxLength(ID) customerId?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @IsOptional() @IsString() @MaxLength(1000) cursor?: string;
}

export class HistoryQueryDto {
  @IsISO8601(ISO) asOf: string;
}
