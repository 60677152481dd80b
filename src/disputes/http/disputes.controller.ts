import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../auth/actor';
import { CLOCK, Clock } from '../../shared/clock';
import { Actor } from '../../shared/actor';
import { ApiRead } from '../../common/http/api-docs';
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
import { toEventView } from './http-conventions';
import { ChainVerificationDto, DisputeListDto, DisputeViewDto, EventListDto, HistoryDto } from './dispute-view.dto';

/** API.md's dispute reads (each write has its own route in src/disputes/commands/<use-case>/). */
@ApiTags('disputes')
@Controller('api/v1/disputes')
export class DisputesController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly writer: DisputeWriter,
  ) {}

  @ApiRead({ summary: 'List disputes, newest first', type: DisputeListDto, notFound: false })
  @Get()
  @Roles('agent', 'supervisor', 'manager', 'auditor', 'admin')
  async list(@Query() query: ListDisputesQueryDto, @CurrentActor() actor: Actor) {
    const { limit = 50, cursor, ...filter } = query;
    const page = await this.queries.execute<ListDisputesQuery, { items: DisputeState[]; nextCursor: string | null }>(
      new ListDisputesQuery(filter, limit, actor, cursor),
    );
    const now = this.clock.now();
    return { items: await Promise.all(page.items.map((s) => this.view(s, actor, now))), nextCursor: page.nextCursor };
  }

  @ApiRead({ summary: 'The dispute (from its own stream: always current)', type: DisputeViewDto })
  @Get(':id')
  async get(@Param('id') id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    const state = await this.queries.execute<GetDisputeQuery, DisputeState>(new GetDisputeQuery(id, actor));
    reply.header('ETag', `"${state.version}"`);
    return this.view(state, actor, this.clock.now());
  }

  @ApiRead({ summary: 'Every event of the case, in order, with hashes', type: EventListDto })
  @Get(':id/events')
  @Roles('auditor', 'supervisor', 'manager')
  async events(@Param('id') id: string, @CurrentActor() actor: Actor) {
    const events = await this.queries.execute(new GetDisputeEventsQuery(id, actor));
    return { items: (events as Parameters<typeof toEventView>[0][]).map(toEventView) };
  }

  @ApiRead({ summary: 'The state as of a moment, and the events up to it', type: HistoryDto })
  @Get(':id/history')
  @Roles('auditor', 'supervisor', 'manager')
  async history(@Param('id') id: string, @Query() query: HistoryQueryDto, @CurrentActor() actor: Actor) {
    const asOf = new Date(query.asOf);
    const { state, events } = await this.queries.execute(new GetDisputeHistoryQuery(id, asOf, actor));
    return { asOf: asOf.toISOString(), state: state ? await this.view(state, actor, asOf) : null, events: events.map(toEventView) };
  }

  @ApiRead({ summary: 'Verify the case\'s hash chain', type: ChainVerificationDto })
  @Get(':id/audit/verify')
  @Roles('auditor')
  verify(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.queries.execute(new VerifyDisputeChainQuery(id, actor));
  }

  private view(state: DisputeState, actor: Actor, now: Date) {
    return this.writer.view(state, actor, now);
  }
}
