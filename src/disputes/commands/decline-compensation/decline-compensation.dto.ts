import { ApiProperty } from '@nestjs/swagger';
import { LongText } from '../request-rules';

export class DeclineCompensationDto {
  @ApiProperty({ example: 'above the policy for this category', maxLength: 4000 })
  @LongText()
  reason: string;
}
