import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { RecordContactDto } from './record-contact.dto';

/** The agent's case workspace (issue 15). */
@ApiTags('disputes')
@Controller('api/v1/disputes')
export class RecordContactRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({
    summary: 'Log a contact with the customer (channel, direction, what was said or promised)',
    type: DisputeViewDto,
    operationId: 'recordDisputeContact',
    created: true,
  })
  @Post(':id/contacts')
  @HttpCode(201)
  @Roles(...rolesOf('RecordContact'))
  recordContact(
    @Param('id') id: string,
    @Body() body: RecordContactDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('RecordContact', id, body, actor, h, r);
  }
}
