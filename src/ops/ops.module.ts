import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { ClientLimits } from './client-limits';
import { HttpHooks } from './http-hooks';
import { Instrumentation } from './instrumentation';
import { loggingParams } from './logging';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics';
import { ProjectionMonitor } from './projection-monitor';
import { RateLimitGuard, throttlerOptions } from './rate-limit.guard';
import { ShutdownState } from './shutdown';
import { SseStreams } from './sse-streams';

/**
 * Operations (issue #6): /health (terminus), /metrics (prom-client), JSON logs (pino), rate limits
 * (throttler; ClientLimits for requests that fail authentication; SseStreams per user), graceful shutdown.
 * Import it after AuthModule: the rate-limit guard must run after the JWT
 * guard so the per-user budget is keyed by a verified user.
 */
@Module({})
export class OpsModule {
  /** `eventStore` and `readSide`: the modules the projection monitor and the instrumentation read. */
  static forRoot(config: AppConfig, deps: { eventStore: DynamicModule; readSide: DynamicModule }): DynamicModule {
    return {
      module: OpsModule,
      imports: [
        LoggerModule.forRoot(loggingParams(config.ops, effectiveLogLevel(config))),
        ThrottlerModule.forRoot(throttlerOptions(config.ops)),
        TerminusModule.forRoot({ logger: false }),
        deps.eventStore,
        deps.readSide,
      ],
      // HealthController stays registered in AppModule; TerminusModule is re-exported for it.
      controllers: [MetricsController],
      providers: [
        MetricsService,
        ProjectionMonitor,
        ShutdownState,
        Instrumentation,
        HttpHooks,
        ClientLimits,
        SseStreams,
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
      exports: [MetricsService, ProjectionMonitor, ShutdownState, TerminusModule, ClientLimits, SseStreams],
    };
  }
}

/** `LOG_LEVEL=silent` in the process environment always wins (the test helpers set it there). */
export function effectiveLogLevel(config: AppConfig): string {
  return process.env.LOG_LEVEL === 'silent' ? 'silent' : config.ops.logLevel;
}
