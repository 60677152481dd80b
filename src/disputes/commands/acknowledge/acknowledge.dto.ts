import { IsBoolean, IsISO8601, ValidateIf } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../../common/http/input-rules';
import { ISO, LongText } from '../request-rules';

export class AcknowledgeDto {
  @ApiProperty({ example: 'We are sorry; we are looking into it.', maxLength: 4000 })
  @LongText()
  message: string;
  @ApiPropertyOptional({ description: 'a complex case: estimatedResolutionAt and plan become required' })
  @Optional()
  @IsBoolean()
  complex?: boolean;
  @ApiPropertyOptional({ format: 'date-time', description: 'required when complex' })
  @ValidateIf((o: AcknowledgeDto) => o.complex === true || o.estimatedResolutionAt !== undefined)
  @IsISO8601(ISO)
  estimatedResolutionAt?: string;
  @ApiPropertyOptional({ description: 'the process, required when complex', maxLength: 4000 })
  @ValidateIf((o: AcknowledgeDto) => o.complex === true || o.plan !== undefined)
  @LongText()
  plan?: string;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'when the response really happened (e.g. a phone call logged later): not before filing, not in the future',
  })
  @Optional()
  @IsISO8601(ISO)
  respondedAt?: string;
}
