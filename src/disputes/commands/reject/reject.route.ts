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
export class RejectDisputeRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({ summary: 'Reject the dispute', type: DisputeViewDto, operationId: 'rejectDispute' })
  @Post(':id/reject')
  @HttpCode(200)
  @Roles(...rolesOf('RejectDispute'))
  reject(
    @Param('id') id: string,
    @Body() body: ReasonDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('RejectDispute', id, body, actor, h, r);
  }
}
