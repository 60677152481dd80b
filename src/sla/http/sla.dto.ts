import { IsIn, IsISO8601, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ReasonBodyDto {
  @IsString() @IsNotEmpty() @MaxLength(4000) reason: string;
}

export class PeakWindowDto {
  @IsISO8601({ strict: true }) start: string;
  @IsISO8601({ strict: true }) end: string;
  @IsNumber() @Min(0) @Max(50) extensionPercent: number;
  @IsString() @IsNotEmpty() @MaxLength(4000) reason: string;
}

export class ComplaintBreachDto {
  @IsString() @IsNotEmpty() @MaxLength(200) disputeId: string;
  @IsIn(['first_response', 'resolution']) kind: 'first_response' | 'resolution';
  @IsString() @IsNotEmpty() @MaxLength(4000) note: string;
}

export class WhatIfDto {
  /** A full policy as for PUT /sla/policy. */
  @IsObject() policy: Record<string, unknown>;
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class BreachReportQueryDto {
  @IsISO8601({ strict: true }) from: string;
  @IsISO8601({ strict: true }) to: string;
  @IsOptional() @IsIn(['agent', 'department', 'channel']) groupBy?: 'agent' | 'department' | 'channel';
}

export class MonthlyReportQueryDto {
  @IsString() @MaxLength(7) month: string;
}
