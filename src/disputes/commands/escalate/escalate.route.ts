import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { EscalateDto } from './escalate.dto';

@ApiTags('disputes')
@Controller('api/v1/disputes')
export class EscalateDisputeRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({
    summary: 'Escalate to mediation, arbitration or litigation',
    description: 'Only up the ladder.',
    type: DisputeViewDto,
    operationId: 'escalateDispute',
  })
  @Post(':id/escalations')
  @HttpCode(200)
  @Roles(...rolesOf('EscalateDispute'))
  escalate(
    @Param('id') id: string,
    @Body() body: EscalateDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('EscalateDispute', id, body, actor, h, r);
  }
}
