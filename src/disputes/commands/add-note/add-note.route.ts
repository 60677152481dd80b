import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { AddNoteDto } from './add-note.dto';

/** The agent's case workspace (issue 15). */
@ApiTags('disputes')
@Controller('api/v1/disputes')
export class AddNoteRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({
    summary: 'Add an internal note (in the audit trail; never shown to the customer)',
    type: DisputeViewDto,
    operationId: 'addDisputeNote',
    created: true,
  })
  @Post(':id/notes')
  @HttpCode(201)
  @Roles(...rolesOf('AddNote'))
  addNote(
    @Param('id') id: string,
    @Body() body: AddNoteDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch('AddNote', id, body, actor, h, r);
  }
}
