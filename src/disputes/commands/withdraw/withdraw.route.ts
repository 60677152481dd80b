import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { ReasonDto } from '../reason.dto';

@ApiTags('disputes')
@Controller('api/v1/disputes')
export class WithdrawDisputeRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({ summary: "Withdraw on the customer's behalf", type: DisputeViewDto, operationId: 'withdrawDispute' })
  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles(...rolesOf('WithdrawDispute'))
  withdraw(
    @Param('id') id: string,
    @Body() body: ReasonDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('WithdrawDispute', id, body, actor, h, r);
  }
}
