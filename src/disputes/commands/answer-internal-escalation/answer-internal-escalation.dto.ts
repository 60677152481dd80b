import { IsIn, ValidateIf } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LongText } from '../request-rules';

export class AnswerInternalEscalationDto {
  @ApiProperty({ enum: ['taken', 'returned'], description: 'taken: the supervisor takes the case over; returned: back to the agent' })
  @IsIn(['taken', 'returned'])
  outcome: 'taken' | 'returned';
  @ApiPropertyOptional({ example: 'offer a 50.00 coupon first; escalate to me again if refused', description: 'required when returned' })
  @ValidateIf((o: AnswerInternalEscalationDto) => o.outcome === 'returned' || o.guidance !== undefined)
  @LongText()
  guidance?: string;
}
