import { ApiProperty } from '@nestjs/swagger';
import { LongText } from '../request-rules';

export class CloseDto {
  @ApiProperty({ example: 'refund paid, customer satisfied', maxLength: 4000 })
  @LongText()
  resolution: string;
}
