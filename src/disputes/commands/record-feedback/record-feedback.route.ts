import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { FeedbackDto } from './record-feedback.dto';

@ApiTags('disputes')
@Controller('api/v1/disputes')
export class RecordFeedbackRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({ summary: "Record the customer's feedback (1–5)", type: DisputeViewDto, operationId: 'recordFeedback' })
  @Post(':id/feedback')
  @HttpCode(200)
  @Roles(...rolesOf('RecordFeedback'))
  feedback(
    @Param('id') id: string,
    @Body() body: FeedbackDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('RecordFeedback', id, body, actor, h, r);
  }
}
