import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { OutcomeDto } from './record-outcome.dto';

@ApiTags('disputes')
@Controller('api/v1/disputes')
export class RecordOutcomeRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({
    summary: 'Record the outcome of the pending forum',
    description: 'A settlement, award or judgment with an amount becomes a compensation.',
    type: DisputeViewDto,
    operationId: 'recordOutcome',
  })
  @Post(':id/outcomes')
  @HttpCode(200)
  @Roles(...rolesOf('RecordOutcome'))
  outcome(
    @Param('id') id: string,
    @Body() body: OutcomeDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('RecordOutcome', id, body, actor, h, r);
  }
}
