import { Type } from 'class-transformer';
import { IsIn, IsObject, ValidateNested } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NEGOTIATION_ACTIONS, PARTIES, REMEDIES, NegotiationAction, Party, Remedy } from '../../domain/dispute.types';
import { MoneyDto, moneyTransform } from '../../http/money.dto';
import { Optional } from '../../../common/http/input-rules';
import { NoteText } from '../request-rules';

export class NegotiateDto {
  @ApiProperty({ enum: NEGOTIATION_ACTIONS, example: 'offer' })
  @IsIn(NEGOTIATION_ACTIONS)
  action: NegotiationAction;
  @ApiProperty({ enum: PARTIES, example: 'merchant' })
  @IsIn(PARTIES)
  party: Party;
  @ApiPropertyOptional({ enum: REMEDIES, description: 'required for offer and counter', example: 'refund' })
  @Optional()
  @IsIn(REMEDIES)
  remedy?: Remedy;
  @ApiPropertyOptional({ type: MoneyDto, description: 'required for money remedies (refund, compensation)' })
  @Optional()
  @moneyTransform()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount?: MoneyDto;
  @ApiPropertyOptional({ maxLength: 4000 })
  @Optional()
  @NoteText()
  note?: string;
}
