import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../auth/actor';
import { CLOCK, Clock } from '../../common/clock';
import { Inject } from '@nestjs/common';
import { ACTIONS, DisputeCommandType } from '../domain/dispute.commands';
import { Actor } from '../domain/dispute.types';
import { DisputeState } from '../domain/dispute.events';
import { toDisputeView } from '../application/dispute-view';
import { derivedId, newCommandId } from '../application/dispute-command.handler';
import { DisputeCommandResult, ExecuteDisputeCommand } from '../application/execute-dispute-command';
import {
  GetDisputeEventsQuery,
  GetDisputeHistoryQuery,
  GetDisputeQuery,
  ListDisputesQuery,
  VerifyDisputeChainQuery,
} from '../application/dispute-queries';
import {
  AcknowledgeDto,
  ApproveCompensationDto,
  AssignDto,
  CloseDto,
  DeclineCompensationDto,
  EscalateDto,
  FeedbackDto,
  FileDisputeDto,
  HistoryQueryDto,
  ListDisputesQueryDto,
  NegotiateDto,
  OutcomeDto,
  PayCompensationDto,
  ProposeCompensationDto,
  ReasonDto,
} from './dispute.dto';
import { parseIfMatch, toEventView } from './http-conventions';

type RequestHeaders = Record<string, string | undefined>;
const rolesOf = (type: DisputeCommandType) => ACTIONS[type].roles;

/** API.md's dispute routes: validate, dispatch through the CQRS buses, answer with ETag and position. */
@Controller('api/v1/disputes')
export class DisputesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles(...rolesOf('FileDispute'))
  async file(@Body() body: FileDisputeDto, @CurrentActor() actor: Actor, @Headers() headers: RequestHeaders, @Res({ passthrough: true }) reply: FastifyReply) {
    const commandId = commandIdFor(actor, headers);
    // With an Idempotency-Key the id is derived from it, so a retry after a crash finds the same stream.
    const disputeId = headers['idempotency-key'] ? derivedId(commandId, 'dispute') : newCommandId();
    const view = await this.dispatch('FileDispute', disputeId, body, actor, headers, reply, commandId);
    reply.header('Location', `/api/v1/disputes/${disputeId}`);
    return view;
  }

  @Post(':id/acknowledge') @HttpCode(200) @Roles(...rolesOf('AcknowledgeDispute'))
  acknowledge(@Param('id') id: string, @Body() body: AcknowledgeDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('AcknowledgeDispute', id, body, actor, h, r);
  }

  @Post(':id/assign') @HttpCode(200) @Roles(...rolesOf('AssignDispute'))
  assign(@Param('id') id: string, @Body() body: AssignDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('AssignDispute', id, body, actor, h, r);
  }

  @Post(':id/negotiations') @HttpCode(200) @Roles(...rolesOf('NegotiateDispute'))
  negotiate(@Param('id') id: string, @Body() body: NegotiateDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('NegotiateDispute', id, body, actor, h, r);
  }

  @Post(':id/escalations') @HttpCode(200) @Roles(...rolesOf('EscalateDispute'))
  escalate(@Param('id') id: string, @Body() body: EscalateDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('EscalateDispute', id, body, actor, h, r);
  }

  @Post(':id/outcomes') @HttpCode(200) @Roles(...rolesOf('RecordOutcome'))
  outcome(@Param('id') id: string, @Body() body: OutcomeDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('RecordOutcome', id, body, actor, h, r);
  }

  @Post(':id/compensations') @HttpCode(201) @Roles(...rolesOf('ProposeCompensation'))
  async propose(@Param('id') id: string, @Body() body: ProposeCompensationDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    const commandId = commandIdFor(actor, h);
    const compensationId = derivedId(commandId, 'compensation');
    const view = await this.dispatch('ProposeCompensation', id, { ...body, compensationId }, actor, h, r, commandId);
    const created = view.compensations.find((c) => c.compensationId === compensationId);
    return { ...view, compensationId, compensationStatus: created?.status };
  }

  @Post(':id/compensations/:compensationId/approve') @HttpCode(200) @Roles(...rolesOf('ApproveCompensation'))
  approve(@Param('id') id: string, @Param('compensationId') compensationId: string, @Body() body: ApproveCompensationDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('ApproveCompensation', id, { ...body, compensationId }, actor, h, r);
  }

  @Post(':id/compensations/:compensationId/decline') @HttpCode(200) @Roles(...rolesOf('DeclineCompensation'))
  decline(@Param('id') id: string, @Param('compensationId') compensationId: string, @Body() body: DeclineCompensationDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('DeclineCompensation', id, { ...body, compensationId }, actor, h, r);
  }

  @Post(':id/compensations/:compensationId/pay') @HttpCode(200) @Roles(...rolesOf('PayCompensation'))
  pay(@Param('id') id: string, @Param('compensationId') compensationId: string, @Body() body: PayCompensationDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('PayCompensation', id, { ...body, compensationId }, actor, h, r);
  }

  @Post(':id/reject') @HttpCode(200) @Roles(...rolesOf('RejectDispute'))
  reject(@Param('id') id: string, @Body() body: ReasonDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('RejectDispute', id, body, actor, h, r);
  }

  @Post(':id/withdraw') @HttpCode(200) @Roles(...rolesOf('WithdrawDispute'))
  withdraw(@Param('id') id: string, @Body() body: ReasonDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('WithdrawDispute', id, body, actor, h, r);
  }

  @Post(':id/close') @HttpCode(200) @Roles(...rolesOf('CloseDispute'))
  close(@Param('id') id: string, @Body() body: CloseDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('CloseDispute', id, body, actor, h, r);
  }

  @Post(':id/reopen') @HttpCode(200) @Roles(...rolesOf('ReopenDispute'))
  reopen(@Param('id') id: string, @Body() body: ReasonDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('ReopenDispute', id, body, actor, h, r);
  }

  @Post(':id/feedback') @HttpCode(200) @Roles(...rolesOf('RecordFeedback'))
  feedback(@Param('id') id: string, @Body() body: FeedbackDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('RecordFeedback', id, body, actor, h, r);
  }

  // ---- reads ----

  @Get()
  @Roles('agent', 'supervisor', 'manager', 'auditor', 'admin')
  async list(@Query() query: ListDisputesQueryDto, @CurrentActor() actor: Actor) {
    const { limit = 50, cursor, ...filter } = query;
    const page = await this.queries.execute<ListDisputesQuery, { items: DisputeState[]; nextCursor: string | null }>(
      new ListDisputesQuery(filter, limit, cursor),
    );
    const now = this.clock.now();
    return { items: page.items.map((s) => toDisputeView(s, actor, now)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  async get(@Param('id') id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    const state = await this.queries.execute<GetDisputeQuery, DisputeState>(new GetDisputeQuery(id));
    reply.header('ETag', `"${state.version}"`);
    return toDisputeView(state, actor, this.clock.now());
  }

  @Get(':id/events')
  @Roles('auditor', 'supervisor', 'manager')
  async events(@Param('id') id: string) {
    const events = await this.queries.execute(new GetDisputeEventsQuery(id));
    return { items: (events as Parameters<typeof toEventView>[0][]).map(toEventView) };
  }

  @Get(':id/history')
  @Roles('auditor', 'supervisor', 'manager')
  async history(@Param('id') id: string, @Query() query: HistoryQueryDto, @CurrentActor() actor: Actor) {
    const asOf = new Date(query.asOf);
    const { state, events } = await this.queries.execute(new GetDisputeHistoryQuery(id, asOf));
    return { asOf: asOf.toISOString(), state: state ? toDisputeView(state, actor, asOf) : null, events: events.map(toEventView) };
  }

  @Get(':id/audit/verify')
  @Roles('auditor')
  verify(@Param('id') id: string) {
    return this.queries.execute(new VerifyDisputeChainQuery(id));
  }

  private async dispatch(
    type: DisputeCommandType,
    disputeId: string,
    data: object,
    actor: Actor,
    headers: RequestHeaders,
    reply: FastifyReply,
    commandId = commandIdFor(actor, headers),
  ) {
    const correlationId = headers['x-correlation-id'] ?? commandId;
    const result = await this.commands.execute<ExecuteDisputeCommand, DisputeCommandResult>(
      new ExecuteDisputeCommand(disputeId, { type, data: { ...data } }, actor, {
        expectedVersion: parseIfMatch(headers['if-match']),
        commandId,
        correlationId,
        causationId: headers['x-causation-id'] ?? null,
      }),
    );
    reply.header('ETag', `"${result.state.version}"`);
    reply.header('X-Casetrail-Position', String(result.position));
    return toDisputeView(result.state, actor, this.clock.now());
  }
}

/** Stable per (caller, Idempotency-Key) so a retried command is recognised in the stream; random otherwise. */
function commandIdFor(actor: Actor, headers: RequestHeaders): string {
  const key = headers['idempotency-key'];
  return key ? derivedId(`${actor.id}\u0000${key}`, 'command') : newCommandId();
}
