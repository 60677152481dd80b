import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { IDEMPOTENCY_STORE, ReadStoreIdempotencyStore } from '../idempotency/idempotency-store';
import { migrateReadStore } from './store/migrations';
import { connectReadStore, READ_STORE, ReadStore } from './store/read-store';
import { AuditController } from '../read-models/audit/audit.controller';
import { DIRECTORY, DisputeDirectory } from '../read-models/disputes/dispute-directory';
import { PROJECTIONS, ProjectionEngine } from './engine/projection-engine.service';
import { ProjectionsAdminController } from './engine/projections-admin.controller';
import { QueuesController } from '../read-models/queues/queues.controller';
import { ReportsController } from '../read-models/reports/reports.controller';

export async function openReadStore(config: AppConfig): Promise<ReadStore> {
  const store = connectReadStore(config);
  await migrateReadStore(store.db, PROJECTIONS());
  return store;
}

/** The read store (SQLite embedded or PostgreSQL), its migrations, and the projections that feed it. */
@Global()
@Module({})
export class ProjectionsModule implements OnApplicationShutdown {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    private readonly engine: ProjectionEngine,
  ) {}

  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: ProjectionsModule,
      controllers: [QueuesController, ReportsController, AuditController, ProjectionsAdminController],
      providers: [
        { provide: READ_STORE, useFactory: () => openReadStore(config) },
        ProjectionEngine,
        { provide: DIRECTORY, inject: [READ_STORE], useFactory: (s: ReadStore) => new DisputeDirectory(s.db) },
        { provide: IDEMPOTENCY_STORE, inject: [READ_STORE], useFactory: (s: ReadStore) => new ReadStoreIdempotencyStore(s.db) },
      ],
      exports: [READ_STORE, ProjectionEngine, DIRECTORY, IDEMPOTENCY_STORE],
    };
  }

  /** Every worker stopped in beforeApplicationShutdown; now the store can close. */
  async onApplicationShutdown(): Promise<void> {
    await this.engine.beforeApplicationShutdown();
    await this.store.close();
  }
}
