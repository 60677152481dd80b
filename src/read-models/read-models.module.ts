import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AppConfig } from '../config/app-config';
import { ReadSideModule } from '../read-side/read-side.module';
import { migrateReadStore } from '../read-side/store/migrations';
import { connectReadStore, READ_STORE, ReadStore } from '../read-side/store/read-store';
import { SlaPolicyRegistry } from '../sla/application/sla-policy.registry';
import { ProjectionsAdminController } from './admin/projections-admin.controller';
import { AuditController } from './audit/audit.controller';
import { GetAuditTrailHandler } from './audit/audit.query-handlers';
import { DisputeDirectory } from './disputes/dispute-directory';
import { DIRECTORY } from '../disputes/application/ports/dispute-directory.port';
import { GetQueueHandler } from './queues/queue.query-handlers';
import { QueuesController } from './queues/queues.controller';
import { readModelCatalog, PROJECTIONS } from './registry';
import { GetBreachDisputeHandler, GetBreachReportHandler, GetMonthlySlaReportHandler } from './sla-reports/sla-report.query-handlers';
import { GetInvestigationsHandler } from './sla-supervision/sla-supervision.query-handlers';
import { GetCompensationReportHandler, GetFunnelReportHandler } from './reports/report.query-handlers';
import { ReportsController } from './reports/reports.controller';
import { ExportsController } from './exports/exports.controller';
import { GetExportHandler } from './exports/exports.query-handlers';
import { StatisticsController } from './statistics/statistics.controller';
import { GetRowLineageHandler, GetStatisticsHandler } from './statistics/statistics.query-handlers';
import { GetCompensationLineageHandler } from './statistics/compensation-lineage';
import { GetFunnelLineageHandler } from './statistics/funnel-lineage';
import { GetMonthlyFigureLineageHandler, GetSlaLineageHandler } from './statistics/sla-lineage';
import { PrivacyModule } from '../privacy/privacy.module';

/** The configured read store with every read model's tables migrated (the service, the CLI, the projector). */
export async function openReadStore(config: AppConfig): Promise<ReadStore> {
  const store = connectReadStore(config);
  await migrateReadStore(store.db, PROJECTIONS());
  return store;
}

/**
 * The read models: their projections (run by the read-side engine), their query handlers (every read goes
 * through the QueryBus) and their routes.
 */
@Module({})
export class ReadModelsModule {
  /**
   * The read-side engine running these read models: created once by the app and imported by every module that
   * reads the read store or waits for a projection (`policies`: the SLA policy versions the disputes model needs).
   */
  static readSide(config: AppConfig, deps: { eventStore: DynamicModule; policies: DynamicModule }): DynamicModule {
    return ReadSideModule.forRoot({
      imports: [deps.eventStore, deps.policies],
      openReadStore: () => openReadStore(config),
      catalog: { inject: [SlaPolicyRegistry], useFactory: (policies: SlaPolicyRegistry) => readModelCatalog(policies) },
    });
  }

  /** `ops`: the live streams (SSE) of the queues. */
  static register(deps: { eventStore: DynamicModule; readSide: DynamicModule; ops: DynamicModule }): DynamicModule {
    return {
      module: ReadModelsModule,
      imports: [CqrsModule, deps.eventStore, deps.readSide, deps.ops, PrivacyModule],
      controllers: [
        QueuesController,
        ReportsController,
        AuditController,
        ProjectionsAdminController,
        ExportsController,
        StatisticsController,
      ],
      providers: [
        { provide: DIRECTORY, inject: [READ_STORE], useFactory: (s: ReadStore) => new DisputeDirectory(s.db) },
        // Every read goes through the QueryBus (the disputes list and views too: src/disputes/application/dispute-queries.ts).
        GetQueueHandler,
        GetCompensationReportHandler,
        GetFunnelReportHandler,
        GetAuditTrailHandler,
        GetBreachReportHandler,
        GetMonthlySlaReportHandler,
        GetInvestigationsHandler, // issue 14
        GetBreachDisputeHandler,
        GetExportHandler,
        GetStatisticsHandler,
        GetRowLineageHandler,
        GetCompensationLineageHandler,
        GetFunnelLineageHandler,
        GetSlaLineageHandler,
        GetMonthlyFigureLineageHandler,
      ],
      exports: [DIRECTORY],
    };
  }
}
