import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CheckpointListDto } from './audit-trail.dto';
import type { FastifyReply } from 'fastify';
import { Roles } from '../common/http/access';
import { EventStore, RAW_EVENT_STORE } from '../shared/event-sourcing/event-store.port';
import { AuditTrailService } from './audit-trail.service';

/** Signed checkpoints and self-verifying case exports, for auditors (README "Audit and tamper evidence"). */
@ApiTags('audit')
@Controller('api/v1')
export class AuditTrailController {
  constructor(
    private readonly audit: AuditTrailService,
    @Inject(RAW_EVENT_STORE) private readonly store: EventStore,
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
}
