import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { AnswerInternalEscalationDto } from './answer-internal-escalation.dto';

/** The agent's case workspace (issue 15). */
@ApiTags('disputes')
@Controller('api/v1/disputes')
export class AnswerInternalEscalationRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({
    summary: 'Answer an internal escalation: take the case over, or return it with guidance',
    type: DisputeViewDto,
    operationId: 'answerInternalEscalation',
  })
  @Post(':id/internal-escalation/answer')
  @HttpCode(200)
  @Roles(...rolesOf('AnswerInternalEscalation'))
  answerInternalEscalation(
    @Param('id') id: string,
    @Body() body: AnswerInternalEscalationDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('AnswerInternalEscalation', id, body, actor, h, r);
  }
}
