import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../common/http/api-docs';
import { CurrentActor, Roles } from '../../common/http/access';
import { Actor } from '../../shared/actor';
import { CustomerErasure } from './customer-erasure';
import { EraseCustomerDto, ErasureResultDto } from './erase-customer.dto';

/** README "Personal data and erasure". */
@ApiTags('privacy')
@Controller('api/v1/customers')
export class EraseCustomerRoute {
  constructor(private readonly erasure: CustomerErasure) {}

  @Post(':customerId/erase')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    operationId: 'eraseCustomer',
    summary: "Erase a customer's personal data",
    description:
      "Erase a customer's personal data (crypto-shredding): destroys their data keys, records CustomerErased, rebuilds the read models. " +
      'No 404: the service keeps no plaintext customer index, and erasing a customer it has not seen still redacts legacy plaintext.',
  })
  @ApiResponse({ status: 200, type: ErasureResultDto, description: 'The keys destroyed, the event recorded, the read models rebuilt' })
  @ApiErrorResponses(400, 401, 403, 413, 415, 429, 503)
  erase(@Param('customerId') customerId: string, @Body() body: EraseCustomerDto, @CurrentActor() actor: Actor): Promise<ErasureResultDto> {
    return this.erasure.erase(customerId, body.reason, actor);
  }
}
