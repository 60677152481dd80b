import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { TagDisputeDto } from './tag.dto';

@ApiTags('disputes')
@Controller('api/v1/disputes')
export class TagDisputeRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({
    summary: 'Tag the dispute (labels to filter and report by; tags it already has are kept once)',
    type: DisputeViewDto,
    operationId: 'tagDispute',
  })
  @Post(':id/tags')
  @HttpCode(200)
  @Roles(...rolesOf('TagDispute'))
  tag(
    @Param('id') id: string,
    @Body() body: TagDisputeDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('TagDispute', id, body, actor, h, r);
  }
}
