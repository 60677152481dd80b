import { ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../../common/http/input-rules';
import { ShortText } from '../request-rules';

export class PayCompensationDto {
  @ApiPropertyOptional({ example: 'bank-123', maxLength: 200 })
  @Optional()
  @ShortText()
  paymentReference?: string;
}
