import { IsIn } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { FORUMS, Forum } from '../../domain/dispute.types';
import { ShortText, LongText } from '../request-rules';

export class EscalateDto {
  @ApiProperty({ enum: FORUMS, example: 'mediation' })
  @IsIn(FORUMS)
  forum: Forum;
  @ApiProperty({ example: 'Marketplace platform', maxLength: 200 })
  @ShortText()
  institution: string;
  @ApiProperty({ example: 'no agreement after two offers', maxLength: 4000 })
  @LongText()
  reason: string;
}
