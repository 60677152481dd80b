import { IsInt, Max, Min } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../../common/http/input-rules';
import { NoteText } from '../request-rules';

export class FeedbackDto {
  @ApiProperty({ minimum: 1, maximum: 5, example: 4 })
  @IsInt()
  @Min(1)
  @Max(5)
  score: number;
  @ApiPropertyOptional({ example: 'slow but fair', maxLength: 4000 })
  @Optional()
  @NoteText()
  comment?: string;
}
