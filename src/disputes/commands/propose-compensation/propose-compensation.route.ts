import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { derivedId } from '../../../shared/ids';
import { commandIdFor } from '../../../common/http/http-conventions';
import { ProposedCompensationViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { ProposeCompensationDto } from './propose-compensation.dto';

@ApiTags('disputes')
@Controller('api/v1/disputes')
export class ProposeCompensationRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({
    summary: 'Propose a compensation',
    description: "Adds `compensationId` and `compensationStatus` (approved within the caller's authority, pending_approval otherwise).",
    created: true,
    type: ProposedCompensationViewDto,
    operationId: 'proposeCompensation',
  })
  @Post(':id/compensations')
  @HttpCode(201)
  @Roles(...rolesOf('ProposeCompensation'))
  async propose(
    @Param('id') id: string,
    @Body() body: ProposeCompensationDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    const commandId = commandIdFor(actor, h);
    const compensationId = derivedId(commandId, 'compensation');
    const view = await this.writer.dispatch('ProposeCompensation', id, { ...body, compensationId }, actor, h, r, commandId);
    const created = view.compensations.find((c) => c.compensationId === compensationId);
    return { ...view, compensationId, compensationStatus: created?.status };
  }
}
