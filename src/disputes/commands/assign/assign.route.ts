import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { AssignDto } from './assign.dto';

@ApiTags('disputes')
@Controller('api/v1/disputes')
export class AssignDisputeRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({
    summary: 'Assign to an agent and department',
    description: 'A supervisor assigns; an agent may assign an unassigned dispute to itself.',
    type: DisputeViewDto,
    operationId: 'assignDispute',
  })
  @Post(':id/assign')
  @HttpCode(200)
  @Roles(...rolesOf('AssignDispute'))
  assign(
    @Param('id') id: string,
    @Body() body: AssignDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('AssignDispute', id, body, actor, h, r);
  }
}
