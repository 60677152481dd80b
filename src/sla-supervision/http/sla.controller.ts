import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpException,
  Inject,
  NotFoundException,
  Param,
  Post,
  Put,
  Query,
  Res,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiCommand, ApiErrorResponses, ApiPolicyIfMatch, ApiRead, POLICY_ETAG_HEADER } from '../../common/http/api-docs';
import { DisputeViewDto } from '../../disputes/http/dispute-view.dto';
import {
  BreachReportDto,
  MonthlySlaReportDto,
  PeakWindowViewDto,
  SlaPolicyDto,
  SlaPolicyInForceDto,
  SlaPolicyInputDto,
  WhatIfReportDto,
} from './sla-responses.dto';

import { CurrentActor, Roles } from '../../common/http/access';
import { CLOCK, Clock } from '../../shared/clock';
import { invalidFields } from '../../common/http/validation';
import { causationIdOf, commandIdFor, correlationIdOf, parseIfMatch, withVersionEtag } from '../../common/http/http-conventions';
import { toDisputeView } from '../../disputes/application/dispute-view';
import { DisputeCommandResult, ExecuteDisputeCommand } from '../../disputes/application/execute-dispute-command';
import { Actor } from '../../shared/actor';
import { DisputeCommandType } from '../../disputes/domain/dispute.commands';
import { EVENT_STORE, EventStore } from '../../shared/event-sourcing/event-store.port';
import { FINGERPRINT_HEADER } from '../../idempotency/idempotency.interceptor';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { SlaPolicyRegistry } from '../../sla/application/sla-policy.registry';
import { SlaPolicyAdmin } from '../../sla/application/sla-policy.admin';
import {
  GetBreachDisputeQuery,
  GetBreachReportQuery,
  GetMonthlySlaReportQuery,
} from '../../read-models/sla-reports/sla-report.query-handlers';
import { SlaPolicy, validateSlaPolicy } from '../../sla/domain/sla-policy';
import { WhatIfBusy, WhatIfCancelled, WhatIfOverBudget } from '../what-if/what-if-replay';
import { WhatIfRunner } from '../what-if/what-if-runner';
import { BreachReportQueryDto, ComplaintBreachDto, MonthlyReportQueryDto, PeakWindowDto, ReasonBodyDto, WhatIfDto } from './sla.dto';
import { toIsoInstant } from '../../shared/instants';

type RequestHeaders = Record<string, string | undefined>;

const slaIfMatch = (header: string | undefined) => parseIfMatch(header, 'an SLA policy version');

/** SLA administration (API.md "SLA administration"), breach handling, what-if replays and SLA reports. */
@ApiTags('sla')
@Controller('api/v1')
export class SlaController {
  constructor(
    private readonly policies: SlaPolicyRegistry,
    private readonly admin: SlaPolicyAdmin,
    private readonly commands: CommandBus,
    private readonly projections: ProjectionEngine,
    private readonly queries: QueryBus,
    @Inject(EVENT_STORE) private readonly log: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly whatIfRunner: WhatIfRunner,
  ) {}

  @Get('sla/policy')
  @ApiRead({
    summary: 'The SLA policy in force, with its version and the peak windows',
    operationId: 'getSlaPolicy',
    type: SlaPolicyInForceDto,
    errors: [],
    headers: POLICY_ETAG_HEADER,
  })
  async policy(@Res({ passthrough: true }) reply: FastifyReply) {
    const state = await this.policies.refresh();
    return withVersionEtag(reply, { ...state.current, peakWindows: state.peakWindows });
  }

  @Put('sla/policy')
  @Roles('admin')
  @ApiRead({
    summary: 'Replace the SLA policy: a new version',
    operationId: 'changeSlaPolicy',
    type: SlaPolicyDto,
    errors: [409, 412, 503],
    headers: POLICY_ETAG_HEADER,
  })
  @ApiPolicyIfMatch()
  @ApiBody({ type: SlaPolicyInputDto })
  async changePolicy(
    @Body() body: Record<string, unknown>,
    @CurrentActor() actor: Actor,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withVersionEtag(reply, await this.admin.changePolicy(body, actor, slaIfMatch(ifMatch)));
  }

  @Post('sla/peak-windows')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: 'Announce a peak window (in advance; at most 50 % longer targets)', operationId: 'announcePeakWindow' })
  @ApiResponse({ status: 201, type: PeakWindowViewDto, description: 'Created' }) // not a dispute: no ETag
  @ApiErrorResponses(409, 412, 503)
  @ApiPolicyIfMatch()
  announce(@Body() body: PeakWindowDto, @CurrentActor() actor: Actor, @Headers('if-match') ifMatch: string | undefined) {
    return this.admin.announcePeakWindow(body, actor, slaIfMatch(ifMatch));
  }

  /** A breach reported from a customer complaint (automatic detection needs no call). */
  @Post('sla/breaches')
  @HttpCode(201)
  @Roles('supervisor')
  @ApiCommand({ summary: 'Report a breach from a customer complaint', operationId: 'reportSlaBreach', created: true, type: DisputeViewDto })
  complaint(
    @Body() body: ComplaintBreachDto,
    @CurrentActor() actor: Actor,
    @Headers() headers: RequestHeaders,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.dispatch(
      body.disputeId,
      'RecordSlaBreach',
      { kind: body.kind, note: body.note, source: 'complaint' },
      actor,
      headers,
      reply,
    );
  }

  @Post('sla/breaches/:breachId/confirm')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiCommand({
    summary: 'Confirm a detected breach (remedies and penalties follow)',
    operationId: 'confirmSlaBreach',
    type: DisputeViewDto,
  })
  async confirm(
    @Param('breachId') breachId: string,
    @Body() body: ReasonBodyDto,
    @CurrentActor() actor: Actor,
    @Headers() headers: RequestHeaders,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.dispatch(await this.disputeOf(breachId), 'ConfirmSlaBreach', { breachId, reason: body.reason }, actor, headers, reply);
  }

  @Post('sla/breaches/:breachId/exempt')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiCommand({ summary: 'Exempt a breach (penalties are reversed)', operationId: 'exemptSlaBreach', type: DisputeViewDto })
  async exempt(
    @Param('breachId') breachId: string,
    @Body() body: ReasonBodyDto,
    @CurrentActor() actor: Actor,
    @Headers() headers: RequestHeaders,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.dispatch(await this.disputeOf(breachId), 'ExemptSlaBreach', { breachId, reason: body.reason }, actor, headers, reply);
  }

  /**
   * Recorded history under a proposed policy: how breaches, penalties and remedies would differ. Writes nothing.
   * The replay runs off the request thread with a time budget, and stops when the client disconnects.
   */
  @Post('sla/what-if')
  @HttpCode(200)
  @Roles('admin', 'supervisor', 'manager', 'analyst')
  @ApiRead({
    summary: 'What-if: recorded history replayed under a proposed policy (writes nothing)',
    operationId: 'whatIfSlaPolicy',
    type: WhatIfReportDto,
    errors: [400, 422, 503],
  })
  async whatIf(@Body() body: WhatIfDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const errors = validateSlaPolicy(body.policy);
    if (errors.length) throw invalidFields('policy', errors);
    await this.projections.waitForHead('disputes');
    const state = await this.policies.refresh();
    const proposed = { ...(body.policy as unknown as SlaPolicy), version: state.current.version + 1 };
    const job = {
      proposed,
      recorded: [...state.versions.values()],
      from: body.from,
      to: body.to,
      limit: 20_000,
      until: this.clock.now().toISOString(),
    };
    // The response's socket closing before the answer is written: the client went away.
    const disconnected = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableFinished) disconnected.abort('the client disconnected');
    };
    reply.raw.once('close', onClose);
    try {
      return await this.whatIfRunner.run(job, disconnected.signal);
    } catch (error) {
      if (error instanceof WhatIfOverBudget) {
        throw new ServiceUnavailableException({
          message: error.message,
          details: { timeBudgetMs: error.budgetMs, disputesReplayed: error.done, disputes: error.total },
        });
      }
      if (error instanceof WhatIfBusy) {
        void reply.header('Retry-After', '5');
        throw new ServiceUnavailableException({ message: error.message, details: { running: error.running } });
      }
      // Nobody is left to read it; 499 (client closed request) shows in logs and metrics.
      if (error instanceof WhatIfCancelled) throw new HttpException(error.message, 499);
      // The calendar arithmetic refused (e.g. a recorded policy from before the maxima).
      if (error instanceof RangeError) throw new UnprocessableEntityException(`the what-if replay cannot compute this: ${error.message}`);
      throw error;
    } finally {
      reply.raw.off('close', onClose);
    }
  }

  @Get('reports/sla-breaches')
  @Roles('supervisor', 'manager', 'auditor', 'analyst')
  @ApiRead({
    summary: 'SLA breaches by agent, department or channel',
    operationId: 'getSlaBreachReport',
    type: BreachReportDto,
    errors: [400],
  })
  async breaches(@Query() query: BreachReportQueryDto) {
    await this.settle();
    return this.queries.execute(
      new GetBreachReportQuery(
        toIsoInstant(query.from),
        toIsoInstant(query.to),
        query.groupBy ?? 'agent',
        query.asKnownAt && toIsoInstant(query.asKnownAt),
      ),
    );
  }

  @Get('reports/sla/monthly')
  @Roles('supervisor', 'manager', 'auditor', 'analyst')
  @ApiRead({ summary: 'The monthly SLA transparency report', operationId: 'getMonthlySlaReport', type: MonthlySlaReportDto, errors: [400] })
  async monthly(@Query() query: MonthlyReportQueryDto) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(query.month)) throw new BadRequestException('month must be YYYY-MM');
    await this.settle();
    const { businessCalendar } = await this.policies.current();
    return this.queries.execute(
      new GetMonthlySlaReportQuery(query.month, businessCalendar.timeZone, query.asKnownAt && toIsoInstant(query.asKnownAt)),
    );
  }

  /** Reports wait for penalties to be executed and projected (bounded). */
  private async settle(): Promise<void> {
    await this.admin.penaltiesSettled();
    await this.projections.waitForHead('disputes');
    await this.projections.waitForHead('penalties');
    await this.projections.waitForHead('sla-supervision');
  }

  private async disputeOf(breachId: string): Promise<string> {
    const disputeId = await this.queries.execute(new GetBreachDisputeQuery(breachId));
    if (disputeId === null) throw new NotFoundException(`breach ${breachId} not found`);
    return disputeId;
  }

  private async dispatch(
    disputeId: string,
    type: DisputeCommandType,
    data: Record<string, unknown>,
    actor: Actor,
    headers: RequestHeaders,
    reply: FastifyReply,
  ) {
    const commandId = commandIdFor(actor, headers);
    const result = await this.commands.execute<ExecuteDisputeCommand, DisputeCommandResult>(
      new ExecuteDisputeCommand(disputeId, { type, data }, actor, {
        commandId,
        // If-Match is honoured here as on every dispute write (API.md "Writes"): 412 when the dispute moved on.
        expectedVersion: parseIfMatch(headers['if-match']),
        correlationId: correlationIdOf(headers, commandId),
        causationId: causationIdOf(headers),
        requestFingerprint: headers[FINGERPRINT_HEADER],
      }),
    );
    void reply.header('ETag', `"${result.state.version}"`);
    void reply.header('X-Casetrail-Position', String(result.position));
    return toDisputeView(result.state, actor, this.clock.now(), await this.policies.version(result.state.slaPolicyVersion ?? 1));
  }
}
