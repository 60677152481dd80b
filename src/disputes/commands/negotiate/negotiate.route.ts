import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { NegotiateDto } from './negotiate.dto';

@ApiTags('disputes')
@Controller('api/v1/disputes')
export class NegotiateDisputeRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({
    summary: 'Record a negotiation step (offer, counter, accept, reject)',
    description: 'An accepted offer becomes an agreed compensation.',
    type: DisputeViewDto,
    operationId: 'negotiateDispute',
  })
  @Post(':id/negotiations')
  @HttpCode(200)
  @Roles(...rolesOf('NegotiateDispute'))
  negotiate(
    @Param('id') id: string,
    @Body() body: NegotiateDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('NegotiateDispute', id, body, actor, h, r);
  }
}
