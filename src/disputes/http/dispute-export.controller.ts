import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, INTEGRITY_HEADERS } from '../../common/http/api-docs';
import { CaseBundleDto } from '../../audit-trail/audit-trail.dto';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../common/http/access';
import { EventStore, RAW_EVENT_STORE } from '../../shared/event-sourcing/event-store.port';
import { exportBundle } from '../../audit-trail/export-bundle';
import { AuditTrailService } from '../../audit-trail/audit-trail.service';
import { serializeBundle } from '../../audit-trail/case-bundle';
import { disputeStreamId } from '../application/dispute-stream';

/** A dispute's self-verifying case bundle (README "Audit and tamper evidence"); the audit trail builds it, the route is the dispute's. */
@ApiTags('audit')
@Controller('api/v1')
export class DisputeExportController {
  constructor(
    private readonly audit: AuditTrailService,
    @Inject(RAW_EVENT_STORE) private readonly store: EventStore,
  ) {}

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
