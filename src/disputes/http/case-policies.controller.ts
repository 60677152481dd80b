import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Inject, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../common/http/access';
import { Actor } from '../../shared/actor';
import { CLOCK, Clock } from '../../shared/clock';
import { ApiCommand, ApiRead, POLICY_ETAG_HEADER } from '../../common/http/api-docs';
import { parseIfMatch, withVersionEtag } from '../../common/http/http-conventions';
import { EvidencePolicyRegistry } from '../application/policies/evidence-policy';
import { AuthorityPolicyDto, AuthorityPolicyViewDto, EvidencePolicyDto, EvidencePolicyViewDto } from './case-policies.dto';
import { AuthorityPolicyRegistry } from '../application/policies/authority-policy';
import { AuthorityLimits, seniorAgentLimit } from '../domain/authority';

/** Versioned admin policies (issue 15): the evidence checklist and the authority limits. Every change is the next version. */
@ApiTags('policies')
@Controller('api/v1')
export class CasePoliciesController {
  constructor(
    private readonly evidence: EvidencePolicyRegistry,
    private readonly authority: AuthorityPolicyRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ApiRead({
    summary: 'The evidence checklist in force, with its version',
    operationId: 'getEvidencePolicy',
    type: EvidencePolicyViewDto,
    notFound: false,
    headers: POLICY_ETAG_HEADER,
  })
  @Get('evidence/policy')
  @Roles('agent', 'supervisor', 'manager', 'auditor', 'analyst', 'admin')
  async evidencePolicy(@Res({ passthrough: true }) reply: FastifyReply) {
    return withVersionEtag(reply, await this.evidence.current());
  }

  @ApiCommand({
    summary: 'Replace the evidence checklist (a new version)',
    operationId: 'putEvidencePolicy',
    type: EvidencePolicyViewDto,
    versionOf: 'policy',
  })
  @Put('evidence/policy')
  @HttpCode(200)
  @Roles('admin')
  async changeEvidencePolicy(
    @Body() body: EvidencePolicyDto,
    @CurrentActor() actor: Actor,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const expected = parseIfMatch(ifMatch, 'an evidence policy version');
    const requirements = body.requirements.map(({ stage, kind, when, enforced }) => ({ stage, kind, when, enforced }));
    return withVersionEtag(
      reply,
      await this.evidence.change({ requirements }, body.reason ?? null, actor, this.clock.now().toISOString(), expected),
    );
  }

  @ApiRead({
    summary: 'Authority limits per role in force (minor units), with their version',
    operationId: 'getAuthorityPolicy',
    type: AuthorityPolicyViewDto,
    notFound: false,
    headers: POLICY_ETAG_HEADER,
  })
  @Get('authority/policy')
  @Roles('agent', 'supervisor', 'manager', 'auditor', 'analyst', 'admin')
  async authorityPolicy(@Res({ passthrough: true }) reply: FastifyReply) {
    return withVersionEtag(reply, authorityView(await this.authority.current()));
  }

  @ApiCommand({
    summary: 'Change the authority limits (a new version; compensations record the version they were judged under)',
    operationId: 'putAuthorityPolicy',
    type: AuthorityPolicyViewDto,
    versionOf: 'policy',
  })
  @Put('authority/policy')
  @HttpCode(200)
  @Roles('admin')
  async changeAuthorityPolicy(
    @Body() body: AuthorityPolicyDto,
    @CurrentActor() actor: Actor,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const expected = parseIfMatch(ifMatch, 'an authority policy version');
    const { agent, supervisor, manager } = body.limits;
    const senior_agent = body.limits.senior_agent ?? agent;
    if (agent > senior_agent || senior_agent > supervisor || (manager !== null && supervisor > manager))
      throw new BadRequestException({
        message: 'limits: agent ≤ senior_agent ≤ supervisor ≤ manager',
        details: [{ field: 'limits', problems: ['each role may grant at least what the one below it may'] }],
      });
    const changed = await this.authority.change(
      { limits: { agent, senior_agent, supervisor, manager } },
      body.reason ?? null,
      actor,
      this.clock.now().toISOString(),
      expected,
    );
    return withVersionEtag(reply, authorityView(changed));
  }
}

/** Every version shows the senior agent's limit (the agent's, in versions written before the tier). */
function authorityView<P extends { version: number; limits: AuthorityLimits }>(policy: P): P {
  return { ...policy, limits: { ...policy.limits, senior_agent: seniorAgentLimit(policy.limits) } };
}
