import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditTrailModule } from './audit-trail/audit-trail.module';
import { AuthModule } from './auth/auth.module';
import { Clock, systemClock } from './shared/clock';
import { ProblemFilter } from './common/http/problem.filter';
import { CompensationModule } from './compensation/compensation.module';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import { DisputesModule } from './disputes/disputes.module';
import { BlobStoreModule } from './blob-store/blob-store.module';
import { EventStore } from './shared/event-sourcing/event-store.port';
import { EventStoreModule } from './event-store/event-store.module';
import { benchControllers } from './bench/noop.controller';
import { HealthController } from './health/health.controller';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { OpsModule } from './ops/ops.module';
import { ErasureModule, personalDataDecoration, PrivacyModule } from './privacy/privacy.module';
import { ReadModelsModule } from './read-models/read-models.module';
import { SlaModule, SlaPolicyModule } from './sla/sla.module';
import { SlaSupervisionModule } from './sla-supervision/sla-supervision.module';

export interface AppDependencies {
  config: AppConfig;
  eventStore: EventStore;
  clock?: Clock;
}

/**
 * The composition root. Each stateful module (the event store, the read side and its projection engine, the SLA
 * policies, ops, the audit trail, the payment ledger) is created here once and handed to the modules that use it:
 * Nest identifies a dynamic module by reference, so every importer shares the one instance. Only AppConfigModule
 * (configuration and clock) is global.
 */
@Module({})
export class AppModule {
  static forRoot({ config, eventStore: store, clock = systemClock }: AppDependencies): DynamicModule {
    const eventStore = EventStoreModule.register(store, personalDataDecoration);
    const policies = SlaPolicyModule.register(eventStore);
    const readSide = ReadModelsModule.readSide(config, { eventStore, policies });
    const ops = OpsModule.forRoot(config, { eventStore, readSide });
    const auditTrail = AuditTrailModule.register(eventStore);
    const sla = SlaModule.register({ eventStore, readSide, policies });
    const readModels = ReadModelsModule.register({ eventStore, readSide, ops });
    const compensation = CompensationModule.forConfig(config, readSide);
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config, clock),
        eventStore,
        // AuthModule before anything that imports ops: the JWT guard must be registered (and run) before ops'
        // rate-limit guard, so the per-user budget is keyed by a verified user.
        AuthModule.register(ops),
        ops,
        auditTrail,
        PrivacyModule,
        ErasureModule.register({ eventStore, readSide }),
        sla,
        readModels,
        IdempotencyModule.register(readSide),
        compensation,
        BlobStoreModule,
        DisputesModule.register({ eventStore, readSide, readModels, sla, auditTrail, compensation }),
        SlaSupervisionModule.register({ eventStore, readSide, sla, ops }),
      ],
      controllers: [HealthController, ...benchControllers()],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
