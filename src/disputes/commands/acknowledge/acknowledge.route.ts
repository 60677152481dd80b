import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { AcknowledgeDto } from './acknowledge.dto';

@ApiTags('disputes')
@Controller('api/v1/disputes')
export class AcknowledgeDisputeRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({
    summary: 'Acknowledge (the first response to the customer)',
    type: DisputeViewDto,
    operationId: 'acknowledgeDispute',
  })
  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles(...rolesOf('AcknowledgeDispute'))
  acknowledge(
    @Param('id') id: string,
    @Body() body: AcknowledgeDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('AcknowledgeDispute', id, body, actor, h, r);
  }
}
