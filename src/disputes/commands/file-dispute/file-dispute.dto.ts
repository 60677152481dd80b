import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsISO8601, IsObject, ValidateNested } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CATEGORIES, CHANNELS, PRIORITIES, REMEDIES, Category, Channel, Priority, Remedy } from '../../domain/dispute.types';
import { MoneyDto, moneyTransform } from '../../http/money.dto';
import { Optional } from '../../../common/http/input-rules';
import { ISO, ShortText, LongText } from '../request-rules';

export class FileDisputeDto {
  @ApiProperty({ example: 'c-1', maxLength: 200 })
  @ShortText()
  customerId: string;
  @ApiProperty({ example: 'o-1', maxLength: 200 })
  @ShortText()
  orderId: string;
  @ApiProperty({ example: 'kettle-2l', maxLength: 200 })
  @ShortText()
  productSku: string;
  @ApiProperty({ enum: CHANNELS, example: 'web' })
  @IsIn(CHANNELS)
  channel: Channel;
  @ApiProperty({ enum: CATEGORIES, example: 'quality_defect' })
  @IsIn(CATEGORIES)
  category: Category;
  @ApiProperty({ example: 'the kettle leaks at the seam', maxLength: 4000 })
  @LongText()
  description: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-20T00:00:00Z' })
  @IsISO8601(ISO)
  purchasedAt: string;
  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-21T00:00:00Z' })
  @Optional()
  @IsISO8601(ISO)
  deliveredAt?: string;
  @ApiProperty({ enum: REMEDIES, example: 'refund' })
  @IsIn(REMEDIES)
  requestedRemedy: Remedy;
  @ApiPropertyOptional({ type: MoneyDto, description: 'also accepted: a bare integer of CNY minor units' })
  @Optional()
  @moneyTransform()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  amountClaimed?: MoneyDto;
  @ApiPropertyOptional({ example: true })
  @Optional()
  @IsBoolean()
  proofOfPurchase?: boolean;
  @ApiPropertyOptional({ example: 'LEAK', maxLength: 200 })
  @Optional()
  @ShortText()
  defectCode?: string;
  @ApiPropertyOptional({ example: true })
  @Optional()
  @IsBoolean()
  itemIntact?: boolean;
  @ApiPropertyOptional({ enum: PRIORITIES, default: 'normal' })
  @Optional()
  @IsIn(PRIORITIES)
  priority?: Priority;
}
