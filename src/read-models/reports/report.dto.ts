import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { MoneyDto } from '../../disputes/http/money.dto';
import { CompensationGroup } from './report-queries';

const COUNT = { type: 'integer', minimum: 0 } as const;
const INSTANT = (example: string) => ({ format: 'date-time', example });

/** Present only when the report was asked `asKnownAt` (src/read-models/point-in-time/as-known.ts). */
export class AsKnownDto {
  @ApiPropertyOptional({
    ...INSTANT('2026-12-15T00:00:00.000Z'),
    description: 'only with `asKnownAt` in the query: the figures stand with the events recorded by this time',
  })
  asKnownAt?: string;
  @ApiPropertyOptional({
    description: 'only with `asKnownAt` in the query: which events the figures come from',
    example: 'only the events recorded by 2026-12-15T00:00:00.000Z (later events, corrections and exemptions included, are left out)',
  })
  basis?: string;
}

export class PeriodDto {
  @ApiProperty(INSTANT('2026-11-01T00:00:00Z')) @IsISO8601({ strict: true }) from: string;
  @ApiProperty(INSTANT('2026-12-01T00:00:00Z')) @IsISO8601({ strict: true }) to: string;
  @ApiPropertyOptional({
    ...INSTANT('2026-12-15T00:00:00Z'),
    description: 'the figures as they stood with the events recorded by this time (issue 17); the answer says so',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  asKnownAt?: string;
}

export class CompensationReportQueryDto extends PeriodDto {
  @ApiPropertyOptional({ enum: ['type', 'category', 'department', 'month'], default: 'type' })
  @IsOptional()
  @IsIn(['type', 'category', 'department', 'month'])
  groupBy?: CompensationGroup;
}

export class CompensationReportRowDto {
  @ApiProperty({ example: 'refund' }) key: string;
  @ApiProperty(COUNT) count: number;
  @ApiProperty() amount: MoneyDto;
}

export class CompensationReportDto extends AsKnownDto {
  @ApiProperty({ type: [CompensationReportRowDto] }) rows: CompensationReportRowDto[];
}

export class FunnelStagesDto {
  @ApiProperty(COUNT) filed: number;
  @ApiProperty(COUNT) acknowledged: number;
  @ApiProperty(COUNT) negotiation: number;
  @ApiProperty(COUNT) mediation: number;
  @ApiProperty(COUNT) arbitration: number;
  @ApiProperty(COUNT) litigation: number;
  @ApiProperty(COUNT) compensated: number;
  @ApiProperty(COUNT) closed: number;
  @ApiProperty(COUNT) rejected: number;
  @ApiProperty(COUNT) withdrawn: number;
}

export class EscalationRatesDto {
  @ApiProperty({ example: 0.125, minimum: 0, maximum: 1 }) any: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) mediation: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) arbitration: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) litigation: number;
}

export class FunnelReportDto extends AsKnownDto {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ description: 'disputes filed in the period that reached each stage' }) stages: FunnelStagesDto;
  @ApiProperty() escalationRates: EscalationRatesDto;
  @ApiProperty(COUNT) resolved: number;
  @ApiProperty({ type: 'number', nullable: true, example: 86400 }) medianTimeToResolutionSeconds: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 86400000, description: 'medianTimeToResolutionSeconds in milliseconds' })
  medianTimeToResolutionMs: number | null;
}
