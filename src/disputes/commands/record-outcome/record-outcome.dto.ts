import { Type } from 'class-transformer';
import { IsIn, IsObject, ValidateNested } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FORUMS, OUTCOME_RESULTS, Forum, OutcomeResult } from '../../domain/dispute.types';
import { MoneyDto, moneyTransform } from '../../http/money.dto';
import { Optional } from '../../../common/http/input-rules';
import { NoteText } from '../request-rules';

export class OutcomeDto {
  @ApiProperty({ enum: FORUMS, example: 'mediation' })
  @IsIn(FORUMS)
  forum: Forum;
  @ApiProperty({ enum: OUTCOME_RESULTS, example: 'settled' })
  @IsIn(OUTCOME_RESULTS)
  result: OutcomeResult;
  @ApiPropertyOptional({ type: MoneyDto, description: 'settled, award and judgment: the amount due' })
  @Optional()
  @moneyTransform()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount?: MoneyDto;
  @ApiPropertyOptional({ example: 'refund half', maxLength: 4000 })
  @Optional()
  @NoteText()
  terms?: string;
}
