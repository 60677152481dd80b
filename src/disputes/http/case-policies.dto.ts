import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../common/http/input-rules';
import { EVIDENCE_CONDITIONS, EVIDENCE_KINDS, EvidenceCondition, EvidenceKind } from '../domain/case-file.types';
import { Stage, STAGES } from '../domain/dispute.types';
import { LongText } from '../commands/request-rules';

export class EvidenceRequirementDto {
  @ApiProperty({ enum: STAGES, example: 'arbitration', description: 'the stage the evidence is due on reaching' })
  @IsIn(STAGES)
  stage: Stage;
  @ApiProperty({ enum: EVIDENCE_KINDS, example: 'arbitration_agreement' })
  @IsIn(EVIDENCE_KINDS)
  kind: EvidenceKind;
  @ApiProperty({ enum: EVIDENCE_CONDITIONS, example: 'always' })
  @IsIn(EVIDENCE_CONDITIONS)
  when: EvidenceCondition;
  @ApiProperty({ description: 'refuse entering the stage (escalation) while it is missing' })
  @IsBoolean()
  enforced: boolean;
}

export class EvidencePolicyDto {
  @ApiProperty({ type: [EvidenceRequirementDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => EvidenceRequirementDto)
  requirements: EvidenceRequirementDto[];
  @ApiPropertyOptional({ example: 'litigation now needs the claim on file', maxLength: 4000 })
  @Optional()
  @LongText()
  reason?: string;
}

export class EvidencePolicyViewDto {
  @ApiProperty({ example: 2 }) version: number;
  @ApiProperty({ type: [EvidenceRequirementDto] }) requirements: EvidenceRequirementDto[];
}

/**
 * Authority limits in minor units (issue 15); `manager: null` for no limit. The order agent ≤ senior_agent ≤
 * supervisor ≤ manager is checked.
 */
export class AuthorityLimitsDto {
  @ApiProperty({ example: 20000, description: 'minor units: 200.00' })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_00)
  agent: number;
  @ApiPropertyOptional({
    example: 40000,
    description: "a token's `senior_agent` role (seed 003's 400.00 tier); absent: the agent's limit (no separate tier)",
  })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_00)
  senior_agent?: number;
  @ApiProperty({ example: 60000 })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_00)
  supervisor: number;
  @ApiProperty({ type: Number, nullable: true, example: null, description: 'null: no limit' })
  @ValidateIf((o: AuthorityLimitsDto) => o.manager !== null)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_00)
  manager: number | null;
}

export class AuthorityPolicyDto {
  @ApiProperty({ type: AuthorityLimitsDto })
  @ValidateNested()
  @Type(() => AuthorityLimitsDto)
  limits: AuthorityLimitsDto;
  @ApiPropertyOptional({ example: 'seed 003: a 400.00 tier', maxLength: 4000 })
  @Optional()
  @LongText()
  reason?: string;
}

/** The limits of a version as answered: every role's, in minor units. */
export class AuthorityLimitsViewDto {
  @ApiProperty({ type: 'integer', example: 20000, description: 'minor units: 200.00' }) agent: number;
  @ApiProperty({ type: 'integer', example: 40000, description: "the senior agent's limit (the agent's in versions that predate the tier)" })
  senior_agent: number;
  @ApiProperty({ type: 'integer', example: 60000 }) supervisor: number;
  @ApiProperty({ type: 'integer', nullable: true, example: null, description: 'null: no limit' }) manager: number | null;
}

export class AuthorityPolicyViewDto {
  @ApiProperty({ example: 2 }) version: number;
  @ApiProperty({ type: AuthorityLimitsViewDto }) limits: AuthorityLimitsViewDto;
}
