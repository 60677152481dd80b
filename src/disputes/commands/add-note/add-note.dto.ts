import { ApiProperty } from '@nestjs/swagger';
import { LongText } from '../request-rules';

export class AddNoteDto {
  @ApiProperty({ example: 'customer sent photos of the seam by chat; asked the warehouse for the batch number', maxLength: 4000 })
  @LongText()
  text: string;
}
