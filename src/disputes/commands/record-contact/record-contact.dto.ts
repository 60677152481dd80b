import { IsIn, IsISO8601 } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../../common/http/input-rules';
import { CONTACT_CHANNELS, CONTACT_DIRECTIONS, ContactChannel, ContactDirection } from '../../domain/case-file.types';
import { ISO, LongText } from '../request-rules';

export class RecordContactDto {
  @ApiProperty({ enum: CONTACT_CHANNELS, example: 'phone' })
  @IsIn(CONTACT_CHANNELS)
  channel: ContactChannel;
  @ApiProperty({ enum: CONTACT_DIRECTIONS, example: 'out', description: 'in: the customer contacted us; out: we contacted the customer' })
  @IsIn(CONTACT_DIRECTIONS)
  direction: ContactDirection;
  @ApiPropertyOptional({ format: 'date-time', description: 'when it happened (default: now); not before filing, not in the future' })
  @Optional()
  @IsISO8601(ISO)
  at?: string;
  @ApiProperty({ example: 'called the customer: the seam leaks after 10 minutes of boiling', maxLength: 4000 })
  @LongText()
  summary: string;
  @ApiPropertyOptional({ example: 'call back by Friday with the warehouse answer', maxLength: 4000 })
  @Optional()
  @LongText()
  promises?: string;
}
