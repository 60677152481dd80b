import { Controller, Get, Headers, Inject, Res, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/http/access';
import { ApiErrorResponses } from '../common/http/api-docs';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MetricsService } from './metrics';

/**
 * Prometheus scrape endpoint. Public by default: scrapers hold static credentials, not expiring JWTs, and
 * nothing here is personal (labels are route patterns, command and event types, projection names).
 * Set METRICS_TOKEN to require `Authorization: Bearer <METRICS_TOKEN>` where the port is reachable from outside.
 */
@ApiTags('operations')
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('metrics')
  @Public()
  @SkipThrottle()
  @ApiBearerAuth('metrics-token')
  @ApiOperation({
    summary: 'Prometheus metrics (text exposition format)',
    operationId: 'getMetrics',
    description: 'No JWT needed. When METRICS_TOKEN is set, `Authorization: Bearer <METRICS_TOKEN>` is required (401 otherwise).',
  })
  @ApiProduces('text/plain')
  @ApiResponse({
    status: 200,
    description: 'Prometheus text format 0.0.4',
    schema: { type: 'string', example: '# HELP casetrail_commands_total ...' },
  })
  @ApiErrorResponses(401)
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const token = this.config.ops.metricsToken;
    if (token !== null && !sameSecret(authorization ?? '', `Bearer ${token}`)) {
      throw new UnauthorizedException('GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
    }
    void reply.header('Content-Type', this.metrics.registry.contentType);
    return this.metrics.render();
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
