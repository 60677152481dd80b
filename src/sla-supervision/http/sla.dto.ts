import { IsIn, IsISO8601, IsNumber, IsObject, IsString, Max, MaxLength, Min } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional, SafeLongText, SafeShortText } from '../../common/http/input-rules';
import { SlaPolicyInputDto } from './sla-responses.dto';

/** Unknown fields are refused; optional means left out, never null; texts follow src/common/http/input-rules.ts. */

export class ReasonBodyDto {
  @ApiProperty({ maxLength: 4000, example: 'the customer confirmed the call came late' }) @SafeLongText(4000) reason: string;
}

const INSTANT = (example: string) => ({ format: 'date-time', example });

export class PeakWindowDto {
  @ApiProperty(INSTANT('2026-11-11T00:00:00+08:00')) @IsISO8601({ strict: true }) start: string;
  @ApiProperty(INSTANT('2026-11-12T00:00:00+08:00')) @IsISO8601({ strict: true }) end: string;
  @ApiProperty({ minimum: 0, maximum: 50, example: 30 }) @IsNumber() @Min(0) @Max(50) extensionPercent: number;
  @ApiProperty({ maxLength: 4000, example: 'Singles Day' }) @SafeLongText(4000) reason: string;
}

export class ComplaintBreachDto {
  @ApiProperty({ maxLength: 200 }) @SafeShortText(200) disputeId: string;
  @ApiProperty({ enum: ['first_response', 'resolution'] }) @IsIn(['first_response', 'resolution']) kind: 'first_response' | 'resolution';
  @ApiProperty({ maxLength: 4000, example: 'customer complained nobody answered the chat' }) @SafeLongText(4000) note: string;
}

export class WhatIfDto {
  /** A full policy as for PUT /sla/policy. */
  @ApiProperty({ type: SlaPolicyInputDto, description: 'a full policy, as for PUT /sla/policy' })
  @IsObject()
  policy: Record<string, unknown>;
  @ApiPropertyOptional(INSTANT('2026-11-01T00:00:00Z')) @Optional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional(INSTANT('2026-12-01T00:00:00Z')) @Optional() @IsISO8601({ strict: true }) to?: string;
}

export class BreachReportQueryDto {
  @ApiProperty(INSTANT('2026-11-01T00:00:00Z')) @IsISO8601({ strict: true }) from: string;
  @ApiProperty(INSTANT('2026-12-01T00:00:00Z')) @IsISO8601({ strict: true }) to: string;
  @ApiPropertyOptional({ enum: ['agent', 'department', 'channel'], default: 'agent' })
  @Optional()
  @IsIn(['agent', 'department', 'channel'])
  groupBy?: 'agent' | 'department' | 'channel';
  @ApiPropertyOptional({
    ...INSTANT('2026-12-15T00:00:00Z'),
    description: 'the figures as known at this time: only events recorded by then (issue 17)',
  })
  @Optional()
  @IsISO8601({ strict: true })
  asKnownAt?: string;
}

export class MonthlyReportQueryDto {
  @ApiProperty({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', example: '2026-11' }) @IsString() @MaxLength(7) month: string;
  @ApiPropertyOptional({ ...INSTANT('2026-12-15T00:00:00Z'), description: 'the figures as known at this time (issue 17)' })
  @Optional()
  @IsISO8601({ strict: true })
  asKnownAt?: string;
}

export class MonthlyLineageQueryDto extends MonthlyReportQueryDto {
  @ApiPropertyOptional({
    enum: ['agents', 'departments', 'channels', 'remedies', 'investigations'],
    default: 'agents',
    description:
      'which rows of the monthly report: agents, departments, channels (key: the row key), remedies (key: a remedy type: `customerCompensation`), investigations (key: `missedDeadline`)',
  })
  @Optional()
  @IsIn(['agents', 'departments', 'channels', 'remedies', 'investigations'])
  section?: 'agents' | 'departments' | 'channels' | 'remedies' | 'investigations';
}
