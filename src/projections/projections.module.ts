import { DynamicModule, Global, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import Database from 'better-sqlite3';
import { AppConfig } from '../config/app-config';
import { EVENT_STORE, EventStore } from '../event-store/domain/event-store.port';
import { IDEMPOTENCY_STORE, SqliteIdempotencyStore } from '../idempotency/idempotency-store';
import { DIRECTORY, DIRECTORY_RUNNER } from '../disputes/application/dispute-command.handler';
import { DisputeDirectory } from './dispute-directory';
import { DisputeDirectoryProjection } from './dispute-directory.projection';
import { ProjectionRunner } from './projection-runner';
import { openReadDb, READ_DB } from './sqlite-read-db';

/** The embedded read store and the projections that feed it from the event log. */
@Global()
@Module({})
export class ProjectionsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(DIRECTORY_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(READ_DB) private readonly db: Database.Database,
  ) {}

  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: ProjectionsModule,
      providers: [
        { provide: READ_DB, useFactory: () => openReadDb(config.dataDir) },
        {
          provide: DIRECTORY_RUNNER,
          inject: [READ_DB, EVENT_STORE],
          useFactory: (db: Database.Database, store: EventStore) => new ProjectionRunner(db, store, new DisputeDirectoryProjection()),
        },
        { provide: DIRECTORY, inject: [READ_DB], useFactory: (db: Database.Database) => new DisputeDirectory(db) },
        { provide: IDEMPOTENCY_STORE, inject: [READ_DB], useFactory: (db: Database.Database) => new SqliteIdempotencyStore(db) },
      ],
      exports: [READ_DB, DIRECTORY_RUNNER, DIRECTORY, IDEMPOTENCY_STORE],
    };
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  onApplicationShutdown(): void {
    this.runner.stop();
    this.db.close();
  }
}
