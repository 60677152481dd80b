import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EVENT_STORE, EventStore } from '../shared/event-sourcing/event-store.port';
import { ProjectionStatus } from '../read-side/engine/runner';
import { ProjectionEngine } from '../read-side/engine/projection-engine.service';
import { READ_STORE, ReadStore } from '../read-side/store/read-store';

export type { ProjectionStatus };

/** What /health and /metrics look at: the log's head, the read store, and every projection of the engine. */
@Injectable()
export class ProjectionMonitor {
  readonly maxLag: number;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly engine: ProjectionEngine,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxLag = config.ops.healthMaxProjectionLag;
  }

  get readDialect(): string {
    return this.readStore.dialect;
  }

  /** Where the projections run: a worker thread of their own, or the request thread. */
  get projectionsThread(): 'worker' | 'inline' {
    return this.engine.inWorker ? 'worker' : 'inline';
  }

  headPosition(): Promise<number> {
    return this.store.headPosition();
  }

  async pingReadStore(): Promise<void> {
    await sql`select 1 as ok`.execute(this.readStore.db);
  }

  statuses(): Promise<ProjectionStatus[]> {
    return this.engine.status();
  }
}
