import { Controller, Headers, HttpCode, Inject, Param, Post, Req, Res, UnprocessableEntityException } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { BLOB_STORE, BlobStore, VIRUS_SCANNER, VirusScanner } from '../../../blob-store/blob-store.port';
import { GetDisputeQuery } from '../../application/dispute-queries';
import { DisputeState } from '../../domain/dispute.state';
import { assertCanWrite } from '../../domain/ownership';
import { EVIDENCE_KINDS } from '../../domain/case-file.types';
import { EVIDENCE_TYPES, readEvidenceUpload } from './evidence-upload';

/**
 * Evidence upload (issue 15): ownership is checked before a byte is stored; the file passes the virus-scan
 * hook, goes to the blob store under its SHA-256, and then the dispute records it (EvidenceAttached with the hash).
 */
@ApiTags('disputes')
@Controller('api/v1/disputes')
export class AttachEvidenceRoute {
  constructor(
    private readonly writer: DisputeWriter,
    private readonly queries: QueryBus,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(VIRUS_SCANNER) private readonly scanner: VirusScanner,
  ) {}

  @ApiCommand({
    summary: 'Upload evidence (multipart: kind, description?, file)',
    type: DisputeViewDto,
    operationId: 'attachDisputeEvidence',
    created: true,
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['kind', 'file'],
      properties: {
        kind: { type: 'string', enum: [...EVIDENCE_KINDS] },
        description: { type: 'string', maxLength: 4000 },
        file: {
          type: 'string',
          format: 'binary',
          description: `one of ${Object.keys(EVIDENCE_TYPES).join(', ')}; at most EVIDENCE_MAX_BYTES`,
        },
      },
    },
  })
  @Post(':id/evidence')
  @HttpCode(201)
  @Roles(...rolesOf('AttachEvidence'))
  async attach(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    const state = await this.queries.execute<GetDisputeQuery, DisputeState>(new GetDisputeQuery(id, actor));
    assertCanWrite(actor, state);
    const upload = await readEvidenceUpload(request);
    const scan = await this.scanner.scan(upload.content, upload.fileName);
    if (!scan.clean) throw new UnprocessableEntityException(`file: refused by the virus scan (${scan.threat})`);
    const { sha256, size } = await this.blobs.put(upload.content);
    const { kind, description, fileName, contentType } = upload;
    return this.writer.dispatch(
      'AttachEvidence',
      id,
      { kind, fileName, contentType, size, sha256, ...(description ? { description } : {}) },
      actor,
      h,
      r,
    );
  }
}
