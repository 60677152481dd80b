import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { DeclineCompensationDto } from './decline-compensation.dto';

@ApiTags('disputes')
@Controller('api/v1/disputes')
export class DeclineCompensationRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({ summary: 'Decline a pending compensation', type: DisputeViewDto, operationId: 'declineCompensation' })
  @Post(':id/compensations/:compensationId/decline')
  @HttpCode(200)
  @Roles(...rolesOf('DeclineCompensation'))
  decline(
    @Param('id') id: string,
    @Param('compensationId') compensationId: string,
    @Body() body: DeclineCompensationDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('DeclineCompensation', id, { ...body, compensationId }, actor, h, r);
  }
}
