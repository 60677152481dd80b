import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { ApproveCompensationDto } from './approve-compensation.dto';

@ApiTags('disputes')
@Controller('api/v1/disputes')
export class ApproveCompensationRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({
    summary: "Approve a pending compensation (within the approver's limit)",
    type: DisputeViewDto,
    operationId: 'approveCompensation',
  })
  @Post(':id/compensations/:compensationId/approve')
  @HttpCode(200)
  @Roles(...rolesOf('ApproveCompensation'))
  approve(
    @Param('id') id: string,
    @Param('compensationId') compensationId: string,
    @Body() body: ApproveCompensationDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('ApproveCompensation', id, { ...body, compensationId }, actor, h, r);
  }
}
