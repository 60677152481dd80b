import { BadRequestException, Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../common/http/access';
import { INTEGRITY_HEADER, integrityWarning, verifyResponse } from '../../audit-trail/integrity-view';
import { AuditTrailService } from '../../audit-trail/audit-trail.service';
import { disputeStreamId } from '../application/dispute-stream';
import { CLOCK, Clock } from '../../shared/clock';
import { Actor } from '../../shared/actor';
import { ApiRead, ETAG_HEADER, INTEGRITY_HEADERS } from '../../common/http/api-docs';
import { DisputeState } from '../domain/dispute.state';
import { DisputeWriter } from '../commands/dispute-writer';
import {
  GetDisputeEventsQuery,
  GetDisputeHistoryQuery,
  GetDisputeQuery,
  ListDisputesQuery,
  VerifyDisputeChainQuery,
} from '../application/dispute-queries';
import { HistoryQueryDto, ListDisputesQueryDto } from './dispute-query.dto';
import { DisputeListFilter } from '../application/ports/dispute-directory.port';
import { toEventView } from '../../common/http/http-conventions';
import { ChainVerificationDto, DisputeListDto, DisputeViewDto, EventListDto, HistoryDto } from './dispute-view.dto';

/** API.md's dispute reads (each write has its own route in src/disputes/commands/<use-case>/). */
@ApiTags('disputes')
@Controller('api/v1/disputes')
export class DisputesController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly writer: DisputeWriter,
    private readonly audit: AuditTrailService,
  ) {}

  @ApiRead({
    summary: 'List and search disputes, newest first, with the total matched',
    operationId: 'listDisputes',
    type: DisputeListDto,
    // 503: the read store (the list's source) is unreachable; commands keep working meanwhile.
    errors: [400, 503],
  })
  @Get()
  @Roles('agent', 'supervisor', 'manager', 'auditor', 'admin')
  async list(@Query() query: ListDisputesQueryDto, @CurrentActor() actor: Actor) {
    const { limit = 50, cursor, ...filter } = query;
    const page = await this.queries.execute<ListDisputesQuery, { items: DisputeState[]; nextCursor: string | null; total: number }>(
      new ListDisputesQuery(filter as DisputeListFilter, limit, actor, cursor),
    );
    const now = this.clock.now();
    const items = await Promise.all(page.items.map((s) => this.view(s, actor, now)));
    return { items, nextCursor: page.nextCursor, total: page.total };
  }

  @ApiRead({
    summary: 'The dispute (from its own stream: always current)',
    operationId: 'getDispute',
    type: DisputeViewDto,
    headers: { ...ETAG_HEADER, ...INTEGRITY_HEADERS },
  })
  @Get(':id')
  async get(@Param('id') id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    const state = await this.queries.execute<GetDisputeQuery, DisputeState>(new GetDisputeQuery(id, actor));
    reply.header('ETag', `"${state.version}"`);
    const integrity = await this.audit.integrity(disputeStreamId(id));
    reply.header(INTEGRITY_HEADER, integrity.valid ? 'verified' : 'failed');
    const view = await this.view(state, actor, this.clock.now());
    return integrity.valid ? view : { ...view, integrity: integrityWarning(integrity) };
  }

  @ApiRead({
    summary: 'Every event of the case, in order, with hashes',
    operationId: 'listDisputeEvents',
    type: EventListDto,
    headers: INTEGRITY_HEADERS,
  })
  @Get(':id/events')
  @Roles('auditor', 'supervisor', 'manager')
  async events(@Param('id') id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    const events = (await this.queries.execute(new GetDisputeEventsQuery(id, actor))) as Parameters<typeof toEventView>[0][];
    const integrity = await this.audit.integrity(disputeStreamId(id), events);
    reply.header(INTEGRITY_HEADER, integrity.valid ? 'verified' : 'failed');
    const items = events.map(toEventView);
    return integrity.valid ? { items } : { items, integrity: integrityWarning(integrity) };
  }

  @ApiRead({ summary: 'The state as of a moment, and the events up to it', operationId: 'getDisputeHistory', type: HistoryDto })
  @Get(':id/history')
  @Roles('auditor', 'supervisor', 'manager')
  async history(@Param('id') id: string, @Query() query: HistoryQueryDto, @CurrentActor() actor: Actor) {
    if ((query.asOf === undefined) === (query.revision === undefined))
      throw new BadRequestException('give either asOf (a time) or revision (a number)');
    const byRevision = query.revision !== undefined;
    const requested = new Date(query.asOf ?? Date.now());
    const { state, events } = await this.queries.execute(new GetDisputeHistoryQuery(id, requested, actor, query.revision));
    // By revision, the state is judged (deadlines, allowed actions) at the moment its last event occurred.
    const asOf = byRevision && events.length > 0 ? new Date(events[events.length - 1].occurredAt) : requested;
    const basis = byRevision ? { by: 'revision' as const, revision: query.revision } : { by: 'asOf' as const };
    return {
      asOf: asOf.toISOString(),
      ...basis,
      state: state ? await this.view(state, actor, asOf) : null,
      events: events.map(toEventView),
    };
  }

  @ApiRead({
    summary: "Verify the case's hash chain",
    operationId: 'verifyDispute',
    type: ChainVerificationDto,
    headers: INTEGRITY_HEADERS,
  })
  @Get(':id/audit/verify')
  @Roles('auditor')
  async verify(@Param('id') id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    const chain = (await this.queries.execute(new VerifyDisputeChainQuery(id, actor))) as {
      valid: boolean;
      events: number;
      firstInvalidRevision?: number;
    };
    const checked = await this.audit.verifyStored(disputeStreamId(id));
    reply.header(INTEGRITY_HEADER, checked.valid ? 'verified' : 'failed');
    return verifyResponse(chain, checked);
  }

  private view(state: DisputeState, actor: Actor, now: Date) {
    return this.writer.view(state, actor, now);
  }
}
