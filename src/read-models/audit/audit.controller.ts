import { BadRequestException, Controller, Get, Inject, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Roles } from '../../auth/actor';
import { toEventView } from '../../disputes/http/http-conventions';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { READ_STORE, ReadStore } from '../../read-side/store/read-store';
import { auditTrail } from './audit-queries';

class AuditQueryDto {
  @IsOptional() @IsString() @MaxLength(200) actorId?: string;
  @IsOptional() @IsString() @MaxLength(200) type?: string;
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @IsOptional() @IsString() @MaxLength(20) cursor?: string;
}

/** Everything that happened across cases, for auditors: by actor, type and period, in global order. */
@Controller('api/v1/audit')
export class AuditController {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    private readonly engine: ProjectionEngine,
  ) {}

  @Get('events')
  @Roles('auditor')
  async events(@Query() query: AuditQueryDto) {
    const after = query.cursor === undefined ? 0 : Number(query.cursor);
    if (!Number.isInteger(after) || after < 0) throw new BadRequestException('cursor is not one this service issued');
    await this.engine.waitForHead('audit');
    const page = await auditTrail(
      this.store.db,
      { actorId: query.actorId, type: query.type, from: query.from && new Date(query.from).toISOString(), to: query.to && new Date(query.to).toISOString() },
      query.limit ?? 100,
      after,
    );
    return { items: page.items.map(toEventView), nextCursor: page.nextCursor };
  }
}
