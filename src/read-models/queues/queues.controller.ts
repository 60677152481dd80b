import { Actor } from '../../shared/actor';
import {
  applyDecorators,
  Controller,
  ForbiddenException,
  Get,
  Headers,
  MessageEvent,
  Param,
  Query,
  Res,
  Sse,
  UseGuards,
} from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { concatMap, filter, from, map, merge, Observable, of, throttleTime, asyncScheduler, interval } from 'rxjs';
import { ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../common/http/access';
import { ApiErrorResponses, ApiRead, STALE_HEADER } from '../../common/http/api-docs';
import { QueueDto, QueuePageQueryDto } from './queue.dto';

import { ReadScope, readScope } from '../../disputes/domain/ownership';
import { SseStreamLimit } from '../../ops/sse-streams';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { awaitConsistency } from '../../read-side/engine/read-consistency';
import { isDisputeChange } from '../disputes/disputes.projection';
import { decodeQueueCursor, Queue, QueueScope } from './queue-queries';
import { GetQueueQuery } from './queue.query-handlers';

/** Agent, "me" and department queues (API.md): an agent sees only its own. */
/** Reads of a queue wait for the log (read-your-writes) and say when they could not. */
const ApiQueue = (summary: string, operationId: string, errors: number[]) =>
  applyDecorators(
    ApiRead({ summary, operationId, type: QueueDto, errors, headers: STALE_HEADER }),
    ApiHeader({
      name: 'X-Casetrail-Min-Position',
      required: false,
      description: 'wait until the queue reflects this log position (X-Casetrail-Position of a write)',
    }),
  );

@ApiTags('queues')
@Controller('api/v1/queues')
export class QueuesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly engine: ProjectionEngine,
  ) {}

  @Get('me')
  @Roles('agent', 'supervisor', 'manager')
  @ApiQueue('My queue', 'getMyQueue', [400])
  me(
    @CurrentActor() actor: Actor,
    @Query() page: QueuePageQueryDto,
    @Headers('x-casetrail-min-position') min: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.read({ assignee: actor.id }, page, min, reply);
  }

  @Get('agents/:agentId')
  @Roles('agent', 'supervisor', 'manager')
  @ApiQueue("An agent's queue (an agent: only its own)", 'getAgentQueue', [400])
  agent(
    @Param('agentId') agentId: string,
    @CurrentActor() actor: Actor,
    @Query() page: QueuePageQueryDto,
    @Headers('x-casetrail-min-position') min: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (isOnlyAgent(actor) && agentId !== actor.id) throw new ForbiddenException('an agent may only read its own queue');
    return this.read({ assignee: agentId }, page, min, reply, readScope(actor));
  }

  /** `unassigned` reads the pool of disputes nobody has taken yet. */
  @Get('departments/:department')
  @Roles('supervisor', 'manager')
  @ApiQueue('A department queue (`unassigned`: the pool nobody has taken)', 'getDepartmentQueue', [400])
  department(
    @Param('department') department: string,
    @CurrentActor() actor: Actor,
    @Query() page: QueuePageQueryDto,
    @Headers('x-casetrail-min-position') min: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const visible = readScope(actor);
    if (department !== 'unassigned' && 'department' in visible && visible.department !== department) {
      throw new ForbiddenException(
        `a supervisor reads the queue of their own department (${visible.department ?? 'none on your token'}), not ${department}`,
      );
    }
    return this.read(department === 'unassigned' ? { unassigned: true } : { department }, page, min, reply, visible);
  }

  /** Server-Sent Events: the caller's queue again whenever one of its disputes changes (and every 30 s, as time moves clocks). */
  @Sse('me/stream')
  @Roles('agent', 'supervisor', 'manager')
  @UseGuards(SseStreamLimit) // at most SSE_MAX_STREAMS_PER_USER open streams per user (429)
  @ApiOperation({ summary: 'My queue as Server-Sent Events (`event: queue`, data: the queue as JSON)', operationId: 'streamMyQueue' })
  @ApiProduces('text/event-stream')
  @ApiResponse({
    status: 200,
    description: 'an event `queue` whose data is a Queue (JSON) on connect, on each change and every 30 s',
    content: {
      'text/event-stream': { schema: { type: 'string', example: 'event: queue\ndata: {"items":[],"checklist":{},"asOf":"…"}\n\n' } },
    },
  })
  @ApiErrorResponses(429)
  stream(@CurrentActor() actor: Actor): Observable<MessageEvent> {
    const mine = this.engine.changes$.pipe(
      filter((changes) => changes.some((c) => isDisputeChange(c) && (c.assignee === actor.id || c.previousAssignee === actor.id))),
    );
    return merge(of(null), mine, interval(30_000)).pipe(
      throttleTime(100, asyncScheduler, { leading: true, trailing: true }),
      concatMap(() => from(this.queue({ assignee: actor.id }))),
      map((queue) => ({ type: 'queue', data: queue })),
    );
  }

  private async read(
    scope: QueueScope,
    page: QueuePageQueryDto,
    min: string | undefined,
    reply: FastifyReply,
    visible: ReadScope = { all: true },
  ): Promise<Queue> {
    if (page.cursor !== undefined) decodeQueueCursor(page.cursor); // an unreadable cursor is a 400 before any waiting
    await awaitConsistency(this.engine, 'disputes', min, reply);
    return this.queue(scope, visible, page);
  }

  private queue(scope: QueueScope, visible: ReadScope = { all: true }, page: QueuePageQueryDto = {}): Promise<Queue> {
    return this.queries.execute(new GetQueueQuery(scope, visible, { limit: page.limit, cursor: page.cursor }));
  }
}

const isOnlyAgent = (actor: Actor) => !actor.roles.includes('supervisor') && !actor.roles.includes('manager');
