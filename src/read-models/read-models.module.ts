import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ReadSideModule } from '../read-side/read-side.module';
import { migrateReadStore } from '../read-side/store/migrations';
import { connectReadStore, READ_STORE, ReadStore } from '../read-side/store/read-store';
import { SlaPolicyRegistry } from '../sla/application/sla-policy.registry';
import { ProjectionsAdminController } from './admin/projections-admin.controller';
import { AuditController } from './audit/audit.controller';
import { DIRECTORY, DisputeDirectory } from './disputes/dispute-directory';
import { QueuesController } from './queues/queues.controller';
import { readModelCatalog, PROJECTIONS } from './registry';
import { ReportsController } from './reports/reports.controller';

/** The configured read store with every read model's tables migrated (the service, the CLI, the projector). */
export async function openReadStore(config: AppConfig): Promise<ReadStore> {
  const store = connectReadStore(config);
  await migrateReadStore(store.db, PROJECTIONS());
  return store;
}

/** The read models: their projections (run by the read-side engine), queries and routes. */
@Module({})
export class ReadModelsModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: ReadModelsModule,
      global: true,
      imports: [
        ReadSideModule.forRoot({
          openReadStore: () => openReadStore(config),
          catalog: { inject: [SlaPolicyRegistry], useFactory: (policies: SlaPolicyRegistry) => readModelCatalog(policies) },
        }),
      ],
      controllers: [QueuesController, ReportsController, AuditController, ProjectionsAdminController],
      providers: [
        { provide: DIRECTORY, inject: [READ_STORE], useFactory: (s: ReadStore) => new DisputeDirectory(s.db) },
      ],
      exports: [DIRECTORY],
    };
  }
}
