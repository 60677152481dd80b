import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../common/http/access';
import { ApiCommand, ApiRead, etagOf } from '../../common/http/api-docs';
import { parseIfMatch, withVersionEtag } from '../../common/http/http-conventions';
import { Actor } from '../../shared/actor';
import { forbidden } from '../../shared/errors';
import { StandingService } from '../application/standing.service';
import { ImprovementReportDto, ReviewNoteDto, SendBackDto, StandingDto } from './standing.dto';

/** Issue 14: an agent's and a department's standing, training, the improvement report and reinstatement. */
@ApiTags('sla')
@Controller('api/v1/sla/standing')
export class StandingController {
  constructor(private readonly standing: StandingService) {}

  @Get('agents/:agentId')
  @Roles('agent', 'supervisor', 'manager', 'auditor', 'analyst')
  @ApiRead({
    summary: "An agent's standing: points this month, rung, open actions, history (an agent: their own)",
    operationId: 'getAgentStanding',
    type: StandingDto,
    headers: etagOf('standing'),
  })
  async agent(@Param('agentId') agentId: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    if (isOnlyAgent(actor) && actor.id !== agentId) throw forbidden('an agent may only read their own standing');
    return withVersionEtag(reply, await this.standing.standing('agent', agentId));
  }

  @Get('departments/:department')
  @Roles('supervisor', 'manager', 'auditor', 'analyst')
  @ApiRead({
    summary: "A department's standing: points this month, rung, notices, history",
    operationId: 'getDepartmentStanding',
    type: StandingDto,
    headers: etagOf('standing'),
  })
  async department(@Param('department') department: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return withVersionEtag(reply, await this.standing.standing('department', department));
  }

  @Post('agents/:agentId/training/:breachId/complete')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiCommand({
    summary: 'Record that the training a breach brought was completed',
    operationId: 'completeTraining',
    type: StandingDto,
    versionOf: 'standing',
  })
  async completeTraining(
    @Param('agentId') agentId: string,
    @Param('breachId') breachId: string,
    @CurrentActor() actor: Actor,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withVersionEtag(reply, await this.standing.completeTraining(agentId, breachId, actor, standingIfMatch(ifMatch)));
  }

  @Post('agents/:agentId/improvement-reports')
  @HttpCode(201)
  @Roles('agent')
  @ApiCommand({
    summary: 'The suspended agent submits their improvement report (causes and fixes)',
    operationId: 'submitImprovementReport',
    type: StandingDto,
    created: true,
    versionOf: 'standing',
  })
  async submit(
    @Param('agentId') agentId: string,
    @Body() body: ImprovementReportDto,
    @CurrentActor() actor: Actor,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withVersionEtag(reply, await this.standing.submitReport(agentId, body.causes, body.fixes, actor, standingIfMatch(ifMatch)));
  }

  @Post('agents/:agentId/improvement-reports/:reportId/approve')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiCommand({
    summary: 'Approve the improvement report: the agent is reinstated',
    operationId: 'approveImprovementReport',
    type: StandingDto,
    versionOf: 'standing',
  })
  async approve(
    @Param('agentId') agentId: string,
    @Param('reportId') reportId: string,
    @Body() body: ReviewNoteDto,
    @CurrentActor() actor: Actor,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const standing = await this.standing.reviewReport(agentId, reportId, true, body.note ?? null, actor, standingIfMatch(ifMatch));
    return withVersionEtag(reply, standing);
  }

  @Post('agents/:agentId/improvement-reports/:reportId/return')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiCommand({
    summary: 'Send the improvement report back with a reason: the agent stays suspended',
    operationId: 'returnImprovementReport',
    type: StandingDto,
    versionOf: 'standing',
  })
  async sendBack(
    @Param('agentId') agentId: string,
    @Param('reportId') reportId: string,
    @Body() body: SendBackDto,
    @CurrentActor() actor: Actor,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const standing = await this.standing.reviewReport(agentId, reportId, false, body.reason, actor, standingIfMatch(ifMatch));
    return withVersionEtag(reply, standing);
  }
}

const standingIfMatch = (header: string | undefined) => parseIfMatch(header, "an agent's standing version");
const isOnlyAgent = (actor: Actor) => actor.roles.every((r) => r === 'agent');
