import { BadRequestException, Controller, ForbiddenException, Get, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../common/http/access';
import { Actor } from '../../shared/actor';
import { ApiRead, ApiReadResponses } from '../../common/http/api-docs';
import { BLOB_STORE, BlobStore } from '../../blob-store/blob-store.port';
import { GetDisputeQuery } from '../application/dispute-queries';
import { caseFileOf, DisputeState } from '../domain/dispute.state';
import { evidenceChecklist } from '../domain/case-file';
import { evidenceView, offsetOf, page, seesPersonalData, workspaceLists } from '../application/case-workspace-view';
import { EvidencePolicyRegistry } from '../application/policies/evidence-policy';
import { ContactPageDto, EvidenceListDto, NotePageDto, WorkspacePageQueryDto } from './case-workspace.dto';
import { EVIDENCE_TYPES } from '../commands/attach-evidence/evidence-upload';

/**
 * The case workspace's reads (issue 15): notes and contacts page by page in time order, the evidence list with
 * its checklist, and an evidence file's bytes. Ownership as for the dispute itself: outside it, 403.
 */
@ApiTags('disputes')
@Controller('api/v1/disputes')
export class CaseWorkspaceController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly evidencePolicy: EvidencePolicyRegistry,
  ) {}

  private dispute(id: string, actor: Actor): Promise<DisputeState> {
    return this.queries.execute<GetDisputeQuery, DisputeState>(new GetDisputeQuery(id, actor));
  }

  @ApiRead({ summary: 'Internal notes, oldest first, a page at a time', operationId: 'listDisputeNotes', type: NotePageDto })
  @Get(':id/notes')
  async notes(@Param('id') id: string, @Query() query: WorkspacePageQueryDto, @CurrentActor() actor: Actor) {
    const state = await this.dispute(id, actor);
    const personal = seesPersonalData(actor);
    return page(
      caseFileOf(state).notes.map((n) => workspaceLists.notes(n, personal)),
      offset(query.cursor),
      query.limit ?? 50,
    );
  }

  @ApiRead({ summary: 'Customer contacts, oldest first, a page at a time', operationId: 'listDisputeContacts', type: ContactPageDto })
  @Get(':id/contacts')
  async contacts(@Param('id') id: string, @Query() query: WorkspacePageQueryDto, @CurrentActor() actor: Actor) {
    const state = await this.dispute(id, actor);
    const personal = seesPersonalData(actor);
    return page(
      caseFileOf(state).contacts.map((c) => workspaceLists.contacts(c, personal)),
      offset(query.cursor),
      query.limit ?? 50,
    );
  }

  @ApiRead({
    summary: 'Evidence on file, and the checklist of the evidence policy in force',
    operationId: 'listDisputeEvidence',
    type: EvidenceListDto,
  })
  @Get(':id/evidence')
  async evidence(@Param('id') id: string, @CurrentActor() actor: Actor) {
    const state = await this.dispute(id, actor);
    const policy = await this.evidencePolicy.recent();
    return {
      policyVersion: policy.version,
      items: caseFileOf(state).evidence.map((e) => evidenceView(state.id, e, seesPersonalData(actor))),
      checklist: evidenceChecklist(state, policy.requirements),
    };
  }

  @ApiOperation({
    summary: "An evidence file's bytes, as uploaded (X-Content-SHA256 is the hash the event recorded)",
    operationId: 'getDisputeEvidenceContent',
  })
  @ApiResponse({
    status: 200,
    description: 'the file, with the content type it was uploaded as (`Content-Disposition: attachment`)',
    content: Object.fromEntries(Object.keys(EVIDENCE_TYPES).map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
    headers: { 'X-Content-SHA256': { description: 'the SHA-256 the event recorded', schema: { type: 'string' } } },
  })
  @ApiReadResponses()
  @Get(':id/evidence/:evidenceId/content')
  @Roles('agent', 'supervisor', 'manager', 'auditor', 'admin')
  async content(
    @Param('id') id: string,
    @Param('evidenceId') evidenceId: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (!seesPersonalData(actor)) throw new ForbiddenException('evidence files hold personal data');
    const state = await this.dispute(id, actor);
    const evidence = caseFileOf(state).evidence.find((e) => e.evidenceId === evidenceId);
    if (!evidence) throw new NotFoundException(`evidence ${evidenceId} not found on dispute ${id}`);
    const content = await this.blobs.get(evidence.sha256);
    if (!content) throw new NotFoundException(`the content of evidence ${evidenceId} is missing from the blob store`);
    reply.header('Content-Type', evidence.contentType);
    reply.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(evidence.fileName)}`);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Content-SHA256', evidence.sha256);
    return content;
  }
}

function offset(cursor: string | undefined): number {
  const value = offsetOf(cursor);
  if (value === null)
    throw new BadRequestException({
      message: 'cursor is not one this service issued',
      details: [{ field: 'cursor', problems: ['cursor is not one this service issued'] }],
    });
  return value;
}
