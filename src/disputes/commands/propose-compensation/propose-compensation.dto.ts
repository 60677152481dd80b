import { Type } from 'class-transformer';
import { IsIn, IsObject, ValidateNested } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REMEDIES, Remedy } from '../../domain/dispute.types';
import { MoneyDto, moneyTransform } from '../../http/money.dto';
import { Optional, SafeShortText } from '../../../common/http/input-rules';
import { LongText } from '../request-rules';

export class ProposeCompensationDto {
  @ApiProperty({ enum: REMEDIES, example: 'refund' })
  @IsIn(REMEDIES)
  type: Remedy;
  @ApiPropertyOptional({ type: MoneyDto, description: 'required for refund and compensation' })
  @Optional()
  @moneyTransform()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount?: MoneyDto;
  @ApiProperty({ example: 'seam leak confirmed on photos', maxLength: 4000 })
  @LongText()
  reason: string;
  // issue 14
  @ApiPropertyOptional({ description: 'money for a material loss a confirmed SLA breach caused: the breach it answers' })
  @Optional()
  @SafeShortText(200)
  breachId?: string;
}
