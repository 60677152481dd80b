import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsString, Max, MaxLength, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { CATEGORIES, CHANNELS, PRIORITIES, STAGES, STATUSES } from '../domain/dispute.types';
import { IsSafeText, Optional } from '../../common/http/input-rules';
import { ID, ISO } from '../commands/request-rules';

/** Query strings of the dispute reads (the write bodies live in their slices, src/disputes/commands/<use-case>/). */

/** An id as a read filter: as before, an empty one is accepted (it matches nothing). */
const QueryId = () => applyDecorators(IsString(), MaxLength(ID), IsSafeText({ allowEmpty: true }));

export class ListDisputesQueryDto {
  @ApiPropertyOptional({ enum: STAGES })
  @Optional()
  @IsIn(STAGES)
  stage?: string;
  @ApiPropertyOptional({ enum: STATUSES })
  @Optional()
  @IsIn(STATUSES)
  status?: string;
  @ApiPropertyOptional({ example: 'agent-1' })
  @Optional()
  @QueryId()
  assignee?: string;
  @ApiPropertyOptional({ example: 'c-1' })
  @Optional()
  @QueryId()
  customerId?: string;
  // Search (issue 15).
  @ApiPropertyOptional({ example: 'order-1' })
  @Optional()
  @QueryId()
  orderId?: string;
  @ApiPropertyOptional({ example: 'kettle-2l' })
  @Optional()
  @QueryId()
  productSku?: string;
  @ApiPropertyOptional({ enum: CHANNELS })
  @Optional()
  @IsIn(CHANNELS)
  channel?: string;
  @ApiPropertyOptional({ enum: CATEGORIES })
  @Optional()
  @IsIn(CATEGORIES)
  category?: string;
  @ApiPropertyOptional({ enum: PRIORITIES })
  @Optional()
  @IsIn(PRIORITIES)
  priority?: string;
  @ApiPropertyOptional({ example: 'after-sales', description: 'within what ownership lets the caller read' })
  @Optional()
  @QueryId()
  department?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'filed at or after' })
  @Optional()
  @IsISO8601(ISO)
  filedFrom?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'filed before' })
  @Optional()
  @IsISO8601(ISO)
  filedTo?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'the running clock it is worked by is due before' })
  @Optional()
  @IsISO8601(ISO)
  dueBefore?: string;
  @ApiPropertyOptional({ enum: ['ok', 'at_risk', 'breached'], description: 'as the queues judge it now' })
  @Optional()
  @IsIn(['ok', 'at_risk', 'breached'])
  slaState?: 'ok' | 'at_risk' | 'breached';
  @ApiPropertyOptional({
    example: 'gasket',
    maxLength: 200,
    description: 'full text over description, notes, contacts and evidence descriptions: every word (at most 8) must occur in the case',
  })
  @Optional()
  @IsString()
  @MaxLength(200)
  @IsSafeText()
  q?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @Optional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}

export class HistoryQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-11-25T00:00:00Z',
    description: 'the events whose occurredAt is at or before this moment (give asOf or revision)',
  })
  @Optional()
  @IsISO8601(ISO)
  asOf?: string;
  @ApiPropertyOptional({ example: 3, description: 'the events up to and including this revision, as recorded (give asOf or revision)' })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  revision?: number;
}
