import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditTrailModule } from './audit-trail/audit-trail.module';
import { AuthModule } from './auth/auth.module';
import { CLOCK, Clock, systemClock } from './shared/clock';
import { ProblemFilter } from './common/http/problem.filter';
import { CompensationModule } from './compensation/compensation.module';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { DisputesModule } from './disputes/disputes.module';
import { BlobStoreModule } from './blob-store/blob-store.module';
import { EventStore } from './shared/event-sourcing/event-store.port';
import { EventStoreModule } from './event-store/event-store.module';
import { benchControllers } from './bench/noop.controller';
import { HealthController } from './health/health.controller';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { OpsModule } from './ops/ops.module';
import { PrivacyModule } from './privacy/privacy.module';
import { ReadModelsModule } from './read-models/read-models.module';
import { SlaModule } from './sla/sla.module';
import { SlaSupervisionModule } from './sla-supervision/sla-supervision.module';

export interface AppDependencies {
  config: AppConfig;
  eventStore: EventStore;
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot({ config, eventStore, clock = systemClock }: AppDependencies): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        EventStoreModule.register(eventStore),
        AuditTrailModule,
        PrivacyModule,
        SlaModule,
        SlaSupervisionModule,
        ReadModelsModule.forConfig(config),
        IdempotencyModule,
        CompensationModule.forConfig(config),
        AuthModule,
        OpsModule.forRoot(config), // after AuthModule: its rate-limit guard runs after the JWT guard
        BlobStoreModule,
        DisputesModule,
      ],
      controllers: [HealthController, ...benchControllers()],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
      exports: [APP_CONFIG, CLOCK],
    };
  }
}
