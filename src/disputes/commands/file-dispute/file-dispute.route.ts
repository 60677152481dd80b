import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { derivedId, newCommandId } from '../../../shared/ids';
import { commandIdFor } from '../../../common/http/http-conventions';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { FileDisputeDto } from './file-dispute.dto';

@ApiTags('disputes')
@Controller('api/v1/disputes')
export class FileDisputeRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({
    summary: 'File a dispute',
    created: true,
    location: true,
    type: DisputeViewDto,
    notFound: false,
    operationId: 'fileDispute',
  })
  @Post()
  @HttpCode(201)
  @Roles(...rolesOf('FileDispute'))
  async file(
    @Body() body: FileDisputeDto,
    @CurrentActor() actor: Actor,
    @Headers() headers: RequestHeaders,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const commandId = commandIdFor(actor, headers);
    // With an Idempotency-Key the id is derived from it, so a retry after a crash finds the same stream.
    const keyed = headers['idempotency-key'] !== undefined;
    const disputeId = keyed ? derivedId(commandId, 'dispute') : newCommandId();
    const view = await this.writer.dispatch('FileDispute', disputeId, body, actor, headers, reply, commandId, !keyed);
    reply.header('Location', `/api/v1/disputes/${disputeId}`);
    return view;
  }
}
