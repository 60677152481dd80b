import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/http/access';
import { ApiRead } from '../../common/http/api-docs';
import { EventPageDto } from '../../disputes/http/dispute-view.dto';
import { toEventView } from '../../common/http/http-conventions';
import { GetAuditTrailQuery } from './audit.query-handlers';
import { toIsoInstant } from '../../shared/instants';

class AuditQueryDto {
  @ApiPropertyOptional({ maxLength: 200, example: 'agent-1' }) @IsOptional() @IsString() @MaxLength(200) actorId?: string;
  @ApiPropertyOptional({ maxLength: 200, example: 'DisputeFiled' }) @IsOptional() @IsString() @MaxLength(200) type?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
  @ApiPropertyOptional({ maxLength: 20, description: '`nextCursor` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  cursor?: string;
}

/** Everything that happened across cases, for auditors: by actor, type and period, in global order. */
@ApiTags('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  @Get('events')
  @Roles('auditor')
  @ApiRead({
    summary: 'Events across cases, in global order (by actor, type, period)',
    operationId: 'listAuditEvents',
    type: EventPageDto,
    errors: [400],
  })
  async events(@Query() query: AuditQueryDto) {
    const after = query.cursor === undefined ? 0 : Number(query.cursor);
    if (!Number.isInteger(after) || after < 0) throw new BadRequestException('cursor is not one this service issued');
    const filter = {
      actorId: query.actorId,
      type: query.type,
      from: query.from && toIsoInstant(query.from),
      to: query.to && toIsoInstant(query.to),
    };
    const page = await this.queries.execute(new GetAuditTrailQuery(filter, query.limit ?? 100, after));
    return { items: page.items.map(toEventView), nextCursor: page.nextCursor };
  }
}
