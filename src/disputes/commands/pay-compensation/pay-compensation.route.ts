import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { PayCompensationDto } from './pay-compensation.dto';

@ApiTags('disputes')
@Controller('api/v1/disputes')
export class PayCompensationRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({
    summary: 'Pay an approved compensation',
    description: 'Money remedies go through the payment provider, idempotent per compensation.',
    type: DisputeViewDto,
    operationId: 'payCompensation',
  })
  @Post(':id/compensations/:compensationId/pay')
  @HttpCode(200)
  @Roles(...rolesOf('PayCompensation'))
  pay(
    @Param('id') id: string,
    @Param('compensationId') compensationId: string,
    @Body() body: PayCompensationDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('PayCompensation', id, { ...body, compensationId }, actor, h, r);
  }
}
