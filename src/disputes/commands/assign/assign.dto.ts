import { ApiProperty } from '@nestjs/swagger';
import { ShortText } from '../request-rules';

export class AssignDto {
  @ApiProperty({ example: 'agent-1', maxLength: 200 })
  @ShortText()
  agentId: string;
  @ApiProperty({ example: 'after-sales', maxLength: 200 })
  @ShortText()
  department: string;
}
