import { ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../../common/http/input-rules';
import { NoteText } from '../request-rules';

export class ApproveCompensationDto {
  @ApiPropertyOptional({ example: 'within my limit', maxLength: 4000 })
  @Optional()
  @NoteText()
  note?: string;
}
