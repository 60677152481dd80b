import { Body, Controller, Get, HttpCode, Inject, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../auth/actor';
import { Actor } from '../../shared/actor';
import { CLOCK, Clock } from '../../shared/clock';
import { ApiCommand, ApiRead } from '../../common/http/api-docs';
import { EvidencePolicyRegistry } from '../application/policies/evidence-policy';
import { EvidencePolicyDto, EvidencePolicyViewDto } from './case-policies.dto';

/** Versioned admin policies of the case workspace (issue 15): the evidence checklist. Every change is the next version. */
@ApiTags('policies')
@Controller('api/v1')
export class CasePoliciesController {
  constructor(
    private readonly evidence: EvidencePolicyRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ApiRead({ summary: 'The evidence checklist in force, with its version', type: EvidencePolicyViewDto, notFound: false })
  @Get('evidence/policy')
  @Roles('agent', 'supervisor', 'manager', 'auditor', 'analyst', 'admin')
  evidencePolicy() {
    return this.evidence.current();
  }

  @ApiCommand({ summary: 'Replace the evidence checklist (a new version)', type: EvidencePolicyViewDto })
  @Put('evidence/policy')
  @HttpCode(200)
  @Roles('admin')
  changeEvidencePolicy(@Body() body: EvidencePolicyDto, @CurrentActor() actor: Actor) {
    const requirements = body.requirements.map(({ stage, kind, when, enforced }) => ({ stage, kind, when, enforced }));
    return this.evidence.change({ requirements }, body.reason ?? null, actor, this.clock.now().toISOString());
  }
}
