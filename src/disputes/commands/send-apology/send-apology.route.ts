import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { SendApologyDto } from './send-apology.dto';

/** Issue 14: the agent sends the apology a confirmed breach owes, recording channel and text. */
@ApiTags('disputes')
@Controller('api/v1/disputes')
export class SendApologyRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({
    summary: 'Send the apology a confirmed breach owes the customer',
    operationId: 'sendApology',
    type: DisputeViewDto,
    notFound: true,
  })
  @Post(':id/apologies/:remedyId/send')
  @HttpCode(200)
  @Roles(...rolesOf('SendApology'))
  send(
    @Param('id') id: string,
    @Param('remedyId') remedyId: string,
    @Body() body: SendApologyDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('SendApology', id, { remedyId, channel: body.channel, text: body.text }, actor, h, r);
  }
}
