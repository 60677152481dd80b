import { IsIn, IsISO8601, IsNumber, IsObject, IsString, Max, MaxLength, Min } from 'class-validator';
import { Optional, SafeLongText, SafeShortText } from '../../common/http/input-rules';

/** Unknown fields are refused; optional means left out, never null; texts follow src/common/http/input-rules.ts. */

export class ReasonBodyDto {
  @SafeLongText(4000) reason: string;
}

export class PeakWindowDto {
  @IsISO8601({ strict: true }) start: string;
  @IsISO8601({ strict: true }) end: string;
  @IsNumber() @Min(0) @Max(50) extensionPercent: number;
  @SafeLongText(4000) reason: string;
}

export class ComplaintBreachDto {
  @SafeShortText(200) disputeId: string;
  @IsIn(['first_response', 'resolution']) kind: 'first_response' | 'resolution';
  @SafeLongText(4000) note: string;
}

export class WhatIfDto {
  /** A full policy as for PUT /sla/policy. */
  @IsObject() policy: Record<string, unknown>;
  @Optional() @IsISO8601({ strict: true }) from?: string;
  @Optional() @IsISO8601({ strict: true }) to?: string;
}

export class BreachReportQueryDto {
  @IsISO8601({ strict: true }) from: string;
  @IsISO8601({ strict: true }) to: string;
  @Optional() @IsIn(['agent', 'department', 'channel']) groupBy?: 'agent' | 'department' | 'channel';
  /** The figures as known at this time: only events recorded by then (issue 17). */
  @Optional() @IsISO8601({ strict: true }) asKnownAt?: string;
}

export class MonthlyReportQueryDto {
  @IsString() @MaxLength(7) month: string;
  @Optional() @IsISO8601({ strict: true }) asKnownAt?: string;
}
