import { ApiPropertyOptional } from '@nestjs/swagger';
import { Optional, SafeShortText } from '../../../common/http/input-rules';

export class DeliverBreachRemedyDto {
  @ApiPropertyOptional({ description: 'e.g. the coupon code or the upgraded contract' })
  @Optional()
  @SafeShortText(200)
  reference?: string;
}
