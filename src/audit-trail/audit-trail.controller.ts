import { Controller, Get, Header, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, INTEGRITY_HEADERS } from '../common/http/api-docs';
import { CaseBundleDto, CheckpointListDto } from './audit-trail.dto';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/actor';
import { disputeStreamId } from '../disputes/application/dispute-stream';
import { EVENT_STORE, EventStore } from '../shared/event-sourcing/event-store.port';
import { AuditTrailService } from './audit-trail.service';
import { buildCaseBundle, serializeBundle } from './case-bundle';

/** Signed checkpoints and self-verifying case exports, for auditors (README "Audit and tamper evidence"). */
@ApiTags('audit')
@Controller('api/v1')
export class AuditTrailController {
  constructor(
    private readonly audit: AuditTrailService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('audit/checkpoints')
  @Roles('auditor')
  @ApiOperation({
    summary: 'Every signed checkpoint, oldest first (each commits to the previous one and to every stream head)',
    operationId: 'listAuditCheckpoints',
  })
  @ApiResponse({ status: 200, type: CheckpointListDto, description: 'OK' })
  async checkpoints() {
    const items = await this.audit.list();
    return { items, publicKey: this.audit.publicKeyPem, keyId: this.audit.key.keyId };
  }

  @Get('audit/checkpoints/public-key')
  @Roles('auditor')
  @Header('Content-Type', 'application/x-pem-file')
  @ApiOperation({
    summary: 'The Ed25519 public key checkpoints are signed with (SPKI PEM); its key id is in X-Casetrail-Key-Id',
    operationId: 'getAuditPublicKey',
  })
  @ApiProduces('application/x-pem-file')
  @ApiResponse({
    status: 200,
    description: 'SPKI PEM',
    headers: { 'X-Casetrail-Key-Id': { description: 'first 16 hex digits of SHA-256 over the key', schema: { type: 'string' } } },
    content: { 'application/x-pem-file': { schema: { type: 'string', example: '-----BEGIN PUBLIC KEY-----\n…' } } },
  })
  publicKey(@Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('X-Casetrail-Key-Id', this.audit.key.keyId);
    return this.audit.publicKeyPem;
  }

  @Get('disputes/:id/export')
  @Roles('auditor')
  @ApiOperation({
    operationId: 'exportDisputeBundle',
    summary:
      'A self-verifying bundle of the case: events, covering signed checkpoint, inclusion proof (check it with tools/verify-bundle.mjs)',
  })
  @ApiResponse({
    status: 200,
    type: CaseBundleDto,
    description: 'canonical JSON, one line; X-Casetrail-Integrity says whether the case verified when exported',
    headers: {
      ...INTEGRITY_HEADERS,
      'Content-Disposition': { description: 'attachment; filename="case-<id>.bundle.json"', schema: { type: 'string' } },
    },
  })
  @ApiErrorResponses(404)
  async export(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const streamId = disputeStreamId(id);
    const events = await this.store.readStream(streamId);
    if (events.length === 0) throw new NotFoundException(`dispute ${id} not found`);
    const bundle = await exportBundle(this.audit, streamId, events);
    const integrity = await this.audit.integrity(streamId, events);
    void reply.header('X-Casetrail-Integrity', integrity.valid ? 'verified' : 'failed');
    void reply.header('Content-Type', 'application/json; charset=utf-8');
    void reply.header('Content-Disposition', `attachment; filename="case-${id}.bundle.json"`);
    return serializeBundle(bundle);
  }
}

/** A checkpoint covering the stream's newest event is written first when the latest does not (once per change of the log). */
export async function exportBundle(audit: AuditTrailService, streamId: string, events: Parameters<typeof buildCaseBundle>[1]) {
  let covering = await audit.inclusion(streamId);
  const newest = events[events.length - 1];
  if (!covering || covering.head.revision < newest.revision) {
    await audit.checkpoint();
    await audit.refreshLedger();
    covering = await audit.inclusion(streamId);
  }
  return buildCaseBundle(streamId, events, covering);
}
