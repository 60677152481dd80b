import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../../common/http/input-rules';
import { LongText, ShortText } from '../request-rules';

export class AssignDto {
  @ApiProperty({ example: 'agent-1', maxLength: 200 })
  @ShortText()
  agentId: string;
  @ApiProperty({ example: 'after-sales', maxLength: 200 })
  @ShortText()
  department: string;
  @ApiPropertyOptional({
    example: 'agent-1 is on leave this week',
    maxLength: 4000,
    description: 'why: shown in the case and kept in the audit trail',
  })
  @Optional()
  @LongText()
  reason?: string;
}
