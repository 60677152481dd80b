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
export class ReopenDisputeRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({
    summary: 'Reopen a closed dispute (within the reopening window)',
    type: DisputeViewDto,
    operationId: 'reopenDispute',
  })
  @Post(':id/reopen')
  @HttpCode(200)
  @Roles(...rolesOf('ReopenDispute'))
  reopen(
    @Param('id') id: string,
    @Body() body: ReasonDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('ReopenDispute', id, body, actor, h, r);
  }
}
