import { Controller, Get, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/http/access';
import { AuditTrailService } from '../audit-trail/audit-trail.service';
import { EventStoreWriteHealth } from '../event-store/write-health';
import { ProjectionMonitor, ProjectionStatus } from '../ops/projection-monitor';
import { ShutdownState } from '../ops/shutdown';

class HealthStoreDto {
  @ApiProperty({ enum: ['up', 'down'] }) status: 'up' | 'down';
  @ApiPropertyOptional({ example: 1234, description: 'event store: newest log position' }) headPosition?: number;
  @ApiPropertyOptional({ enum: ['sqlite', 'postgres'], description: 'read store' }) dialect?: string;
  @ApiPropertyOptional({ description: 'event store: false while appends fail on a full or read-only disk (the store is then down)' })
  writable?: boolean;
  @ApiPropertyOptional({ format: 'date-time', description: 'event store: unwritable since' }) since?: string;
  @ApiPropertyOptional() error?: string;
}
class HealthProjectionDto {
  @ApiProperty({ example: 'disputes' }) name: string;
  @ApiProperty({ example: 1230 }) position: number;
  @ApiProperty({ example: 1234 }) headPosition: number;
  @ApiProperty({ example: 4, description: 'events of the log not yet applied' }) lagEvents: number;
  @ApiProperty({ example: 0.2, description: 'age of the oldest event not yet applied' }) lagSeconds: number;
  @ApiProperty({ type: 'integer', example: 200, description: 'lagSeconds in milliseconds' }) lagMs: number;
  @ApiProperty() running: boolean;
  @ApiProperty({ description: "this instance holds the projection's lock" }) leader: boolean;
  @ApiProperty({ nullable: true, type: String, example: null }) error: string | null;
}
export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded', 'shutting_down'], description: 'ok: 200; anything else: 503 (not ready)' })
  status: 'ok' | 'degraded' | 'shutting_down';
  @ApiProperty() eventStore: HealthStoreDto;
  @ApiProperty() readStore: HealthStoreDto;
  @ApiProperty({ type: [HealthProjectionDto] }) projections: HealthProjectionDto[];
  @ApiPropertyOptional({
    description:
      'tamper evidence: signing key id, the last signed checkpoint (or why the last attempt failed), the last stream verification and the last failed one',
    type: 'object',
    additionalProperties: true,
  })
  audit?: Record<string, unknown>;
  @ApiProperty({
    description: "terminus' indicators (eventStore, readStore, projections): up or down, with why",
    type: 'object',
    additionalProperties: true,
  })
  details: Record<string, unknown>;
}

/**
 * Liveness and readiness (terminus): the event store answers and can write, the read store answers, and no projection
 * stopped on an error or trails the log by more than HEALTH_MAX_PROJECTION_LAG events (0: lag is reported,
 * never fatal). 503 when not ready, and from the moment SIGTERM arrives, so load balancers stop routing here
 * before the server closes.
 */
@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly monitor: ProjectionMonitor,
    private readonly shutdown: ShutdownState,
    private readonly writeHealth: EventStoreWriteHealth,
    private readonly audit: AuditTrailService,
  ) {}

  @Get('health')
  @Public()
  @SkipThrottle()
  @ApiOperation({ summary: 'Liveness and readiness', operationId: 'getHealth', description: '200 when ready, 503 otherwise (same body).' })
  @ApiResponse({ status: 200, type: HealthDto, description: 'ready' })
  @ApiResponse({
    status: 503,
    type: HealthDto,
    description: 'a store is down, a projection failed or lags too far, or the instance is shutting down',
  })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthDto> {
    // Reading is not enough: a full or read-only disk keeps the head readable while every append fails.
    const write = await this.writeHealth.check();
    const eventStore: HealthStoreDto = await this.monitor
      .headPosition()
      .then((headPosition): HealthStoreDto =>
        write.writable
          ? { status: 'up', headPosition, writable: true }
          : {
              status: 'down',
              headPosition,
              writable: false,
              since: write.since,
              error: `the event store is not writable: ${write.reason}`,
            },
      )
      .catch((error: Error) => ({ status: 'down' as const, error: error.message }));
    const readStore: HealthStoreDto = await this.monitor
      .pingReadStore()
      .then(() => ({ status: 'up' as const, dialect: this.monitor.readDialect }))
      .catch((error: Error) => ({ status: 'down' as const, error: error.message }));
    const projections: ProjectionStatus[] = eventStore.headPosition !== undefined ? await this.monitor.statuses().catch(() => []) : [];
    const maxLag = this.monitor.maxLag;
    const failing = projections.filter((p) => p.error !== null || (maxLag > 0 && p.lagEvents > maxLag));

    let result: HealthCheckResult;
    try {
      result = await this.health.check([
        () => this.indicate('eventStore', eventStore),
        () => this.indicate('readStore', readStore),
        () =>
          failing.length === 0
            ? this.indicators
                .check('projections')
                .up({ count: projections.length, maxLagEvents: maxLag || null, thread: this.monitor.projectionsThread })
            : this.indicators
                .check('projections')
                .down({ failing: failing.map((p) => p.name), maxLagEvents: maxLag || null, thread: this.monitor.projectionsThread }),
        () =>
          this.shutdown.shuttingDown
            ? this.indicators.check('instance').down({ shuttingDown: true })
            : this.indicators.check('instance').up(),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
    }
    const status = this.shutdown.shuttingDown ? 'shutting_down' : result.status === 'ok' ? 'ok' : 'degraded';
    void reply.status(status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status, eventStore, readStore, projections, audit: this.audit.health(), details: result.details as Record<string, unknown> };
  }

  private indicate<K extends string>(key: K, store: HealthStoreDto) {
    const session = this.indicators.check(key);
    return store.status === 'up' ? session.up(withoutStatus(store)) : session.down(withoutStatus(store));
  }
}

function withoutStatus({ status: _status, ...rest }: HealthStoreDto): Record<string, unknown> {
  return rest;
}
