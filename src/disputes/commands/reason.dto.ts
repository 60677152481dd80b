import { ApiProperty } from '@nestjs/swagger';
import { LongText } from './request-rules';

/** The body of reject, withdraw and reopen. */
export class ReasonDto {
  @ApiProperty({ example: 'the customer asked to stop the case', maxLength: 4000 })
  @LongText()
  reason: string;
}
