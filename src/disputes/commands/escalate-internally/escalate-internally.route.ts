import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { ReasonDto } from '../reason.dto';

/** The agent's case workspace (issue 15). */
@ApiTags('disputes')
@Controller('api/v1/disputes')
export class EscalateInternallyRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({
    summary: "Ask a supervisor to step in: the case goes on the supervisor's queue with the reason",
    type: DisputeViewDto,
    operationId: 'escalateDisputeInternally',
  })
  @Post(':id/escalate-internally')
  @HttpCode(200)
  @Roles(...rolesOf('EscalateInternally'))
  escalateInternally(
    @Param('id') id: string,
    @Body() body: ReasonDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('EscalateInternally', id, body, actor, h, r);
  }
}
