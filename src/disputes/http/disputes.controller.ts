import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../auth/actor';
import { CLOCK, Clock } from '../../shared/clock';
import { Inject } from '@nestjs/common';
import { ACTIONS, DisputeCommandType } from '../domain/dispute.commands';
import { Actor } from '../../shared/actor';
import { DisputeState } from '../domain/dispute.events';
import { toDisputeView } from '../application/dispute-view';
import { FINGERPRINT_HEADER } from '../../idempotency/idempotency.interceptor';
import { SlaPolicyRegistry } from '../../sla/application/sla-policy.registry';
import { derivedId, newCommandId } from '../../shared/ids';
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
import { causationIdOf, commandIdFor, correlationIdOf, parseIfMatch, toEventView } from './http-conventions';
import { ApiTags } from '@nestjs/swagger';
import { ApiCommand, ApiRead } from '../../common/http/api-docs';
import { ChainVerificationDto, DisputeListDto, DisputeViewDto, EventListDto, HistoryDto, ProposedCompensationViewDto } from './dispute-view.dto';

type RequestHeaders = Record<string, string | undefined>;
const rolesOf = (type: DisputeCommandType) => ACTIONS[type].roles;

/** API.md's dispute routes: validate, dispatch through the CQRS buses, answer with ETag and position. */
@ApiTags('disputes')
@Controller('api/v1/disputes')
export class DisputesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly policies: SlaPolicyRegistry,
  ) {}

  @ApiCommand({ summary: 'File a dispute', created: true, type: DisputeViewDto, notFound: false })
  @Post()
  @HttpCode(201)
  @Roles(...rolesOf('FileDispute'))
  async file(@Body() body: FileDisputeDto, @CurrentActor() actor: Actor, @Headers() headers: RequestHeaders, @Res({ passthrough: true }) reply: FastifyReply) {
    const commandId = commandIdFor(actor, headers);
    // With an Idempotency-Key the id is derived from it, so a retry after a crash finds the same stream.
    const keyed = headers['idempotency-key'] !== undefined;
    const disputeId = keyed ? derivedId(commandId, 'dispute') : newCommandId();
    const view = await this.dispatch('FileDispute', disputeId, body, actor, headers, reply, commandId, !keyed);
    reply.header('Location', `/api/v1/disputes/${disputeId}`);
    return view;
  }

  @ApiCommand({ summary: 'Acknowledge (the first response to the customer)', type: DisputeViewDto })
  @Post(':id/acknowledge') @HttpCode(200) @Roles(...rolesOf('AcknowledgeDispute'))
  acknowledge(@Param('id') id: string, @Body() body: AcknowledgeDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('AcknowledgeDispute', id, body, actor, h, r);
  }

  @ApiCommand({ summary: 'Assign to an agent and department', description: 'A supervisor assigns; an agent may assign an unassigned dispute to itself.', type: DisputeViewDto })
  @Post(':id/assign') @HttpCode(200) @Roles(...rolesOf('AssignDispute'))
  assign(@Param('id') id: string, @Body() body: AssignDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('AssignDispute', id, body, actor, h, r);
  }

  @ApiCommand({ summary: 'Record a negotiation step (offer, counter, accept, reject)', description: 'An accepted offer becomes an agreed compensation.', type: DisputeViewDto })
  @Post(':id/negotiations') @HttpCode(200) @Roles(...rolesOf('NegotiateDispute'))
  negotiate(@Param('id') id: string, @Body() body: NegotiateDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('NegotiateDispute', id, body, actor, h, r);
  }

  @ApiCommand({ summary: 'Escalate to mediation, arbitration or litigation', description: 'Only up the ladder.', type: DisputeViewDto })
  @Post(':id/escalations') @HttpCode(200) @Roles(...rolesOf('EscalateDispute'))
  escalate(@Param('id') id: string, @Body() body: EscalateDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('EscalateDispute', id, body, actor, h, r);
  }

  @ApiCommand({ summary: 'Record the outcome of the pending forum', description: 'A settlement, award or judgment with an amount becomes a compensation.', type: DisputeViewDto })
  @Post(':id/outcomes') @HttpCode(200) @Roles(...rolesOf('RecordOutcome'))
  outcome(@Param('id') id: string, @Body() body: OutcomeDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('RecordOutcome', id, body, actor, h, r);
  }

  @ApiCommand({ summary: 'Propose a compensation', description: 'Adds `compensationId` and `compensationStatus` (approved within the caller\'s authority, pending_approval otherwise).', created: true, type: ProposedCompensationViewDto })
  @Post(':id/compensations') @HttpCode(201) @Roles(...rolesOf('ProposeCompensation'))
  async propose(@Param('id') id: string, @Body() body: ProposeCompensationDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    const commandId = commandIdFor(actor, h);
    const compensationId = derivedId(commandId, 'compensation');
    const view = await this.dispatch('ProposeCompensation', id, { ...body, compensationId }, actor, h, r, commandId);
    const created = view.compensations.find((c) => c.compensationId === compensationId);
    return { ...view, compensationId, compensationStatus: created?.status };
  }

  @ApiCommand({ summary: 'Approve a pending compensation (within the approver\'s limit)', type: DisputeViewDto })
  @Post(':id/compensations/:compensationId/approve') @HttpCode(200) @Roles(...rolesOf('ApproveCompensation'))
  approve(@Param('id') id: string, @Param('compensationId') compensationId: string, @Body() body: ApproveCompensationDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('ApproveCompensation', id, { ...body, compensationId }, actor, h, r);
  }

  @ApiCommand({ summary: 'Decline a pending compensation', type: DisputeViewDto })
  @Post(':id/compensations/:compensationId/decline') @HttpCode(200) @Roles(...rolesOf('DeclineCompensation'))
  decline(@Param('id') id: string, @Param('compensationId') compensationId: string, @Body() body: DeclineCompensationDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('DeclineCompensation', id, { ...body, compensationId }, actor, h, r);
  }

  @ApiCommand({ summary: 'Pay an approved compensation', description: 'Money remedies go through the payment provider, idempotent per compensation.', type: DisputeViewDto })
  @Post(':id/compensations/:compensationId/pay') @HttpCode(200) @Roles(...rolesOf('PayCompensation'))
  pay(@Param('id') id: string, @Param('compensationId') compensationId: string, @Body() body: PayCompensationDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('PayCompensation', id, { ...body, compensationId }, actor, h, r);
  }

  @ApiCommand({ summary: 'Reject the dispute', type: DisputeViewDto })
  @Post(':id/reject') @HttpCode(200) @Roles(...rolesOf('RejectDispute'))
  reject(@Param('id') id: string, @Body() body: ReasonDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('RejectDispute', id, body, actor, h, r);
  }

  @ApiCommand({ summary: 'Withdraw on the customer\'s behalf', type: DisputeViewDto })
  @Post(':id/withdraw') @HttpCode(200) @Roles(...rolesOf('WithdrawDispute'))
  withdraw(@Param('id') id: string, @Body() body: ReasonDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('WithdrawDispute', id, body, actor, h, r);
  }

  @ApiCommand({ summary: 'Close the dispute', type: DisputeViewDto })
  @Post(':id/close') @HttpCode(200) @Roles(...rolesOf('CloseDispute'))
  close(@Param('id') id: string, @Body() body: CloseDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('CloseDispute', id, body, actor, h, r);
  }

  @ApiCommand({ summary: 'Reopen a closed dispute (within the reopening window)', type: DisputeViewDto })
  @Post(':id/reopen') @HttpCode(200) @Roles(...rolesOf('ReopenDispute'))
  reopen(@Param('id') id: string, @Body() body: ReasonDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('ReopenDispute', id, body, actor, h, r);
  }

  @ApiCommand({ summary: 'Record the customer\'s feedback (1–5)', type: DisputeViewDto })
  @Post(':id/feedback') @HttpCode(200) @Roles(...rolesOf('RecordFeedback'))
  feedback(@Param('id') id: string, @Body() body: FeedbackDto, @CurrentActor() actor: Actor, @Headers() h: RequestHeaders, @Res({ passthrough: true }) r: FastifyReply) {
    return this.dispatch('RecordFeedback', id, body, actor, h, r);
  }

  // ---- reads ----

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

  private async dispatch(
    type: DisputeCommandType,
    disputeId: string,
    data: object,
    actor: Actor,
    headers: RequestHeaders,
    reply: FastifyReply,
    commandId = commandIdFor(actor, headers),
    newStream = false,
  ) {
    const correlationId = correlationIdOf(headers, commandId);
    const result = await this.commands.execute<ExecuteDisputeCommand, DisputeCommandResult>(
      new ExecuteDisputeCommand(disputeId, { type, data: { ...data } }, actor, {
        expectedVersion: parseIfMatch(headers['if-match']),
        commandId,
        correlationId,
        causationId: causationIdOf(headers),
        requestFingerprint: headers[FINGERPRINT_HEADER],
        newStream,
      }),
    );
    reply.header('ETag', `"${result.state.version}"`);
    reply.header('X-Casetrail-Position', String(result.position));
    return this.view(result.state, actor, this.clock.now());
  }

  /** The dispute as the caller sees it, under the SLA policy version it was filed with. */
  private async view(state: DisputeState, actor: Actor, now: Date) {
    return toDisputeView(state, actor, now, await this.policies.version(state.slaPolicyVersion ?? 1));
  }
}
