import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { CloseDto } from './close.dto';

@ApiTags('disputes')
@Controller('api/v1/disputes')
export class CloseDisputeRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({ summary: 'Close the dispute', type: DisputeViewDto, operationId: 'closeDispute' })
  @Post(':id/close')
  @HttpCode(200)
  @Roles(...rolesOf('CloseDispute'))
  close(
    @Param('id') id: string,
    @Body() body: CloseDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('CloseDispute', id, body, actor, h, r);
  }
}
