import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { asyncScheduler, Observable, Subscription, throttleTime } from 'rxjs';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EVENT_STORE, EventStore } from '../../shared/event-sourcing/event-store.port';
import { InMemoryEventStore } from '../../event-store/in-memory-event-store';
import { READ_STORE, ReadStore } from '../store/read-store';
import { ProjectionChange } from './projection';
import { ProjectionStatus } from './runner';
import { InlineProjectionHost, ProjectionCatalog, ProjectionHost } from './host';
import { lockFor } from './lock';
import { RebuildReport } from './rebuild';
import { WorkerProjectionHost, workerAvailable } from './worker/worker-host';

/** The runners the engine drives, provided by whoever composes the read models. */
export const PROJECTION_CATALOG = Symbol('PROJECTION_CATALOG');

/**
 * Runs every projection (each one only while this instance holds its lock), wakes them when the log grows,
 * and answers lag, read-your-writes waits and rebuilds. The runners live in a worker thread when the service
 * runs compiled with stores the worker can open itself, else in this thread (PROJECTIONS_THREAD).
 */
@Injectable()
export class ProjectionEngine implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProjectionEngine.name);
  readonly host: ProjectionHost;
  private wakeups: Subscription | null = null;

  constructor(
    @Inject(READ_STORE) readStore: ReadStore,
    @Inject(EVENT_STORE) private readonly log: EventStore,
    @Inject(PROJECTION_CATALOG) private readonly catalog: ProjectionCatalog,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.host = useWorker(config, log, catalog.workerScript)
      ? new WorkerProjectionHost(config, catalog.names, readStore.db, catalog.workerScript)
      : new InlineProjectionHost(readStore.db, log, catalog.runners(readStore.db, log, lockFor(readStore.pool)), catalog.rebuildable);
  }

  /** Every read model a rebuild may replace. */
  get rebuildable(): readonly string[] {
    return this.catalog.rebuildable;
  }

  /** True for a read model a rebuild may replace (not a process such as the penalty processor). */
  isRebuildable(name: string): boolean {
    return this.catalog.rebuildable.includes(name);
  }

  get inWorker(): boolean {
    return this.host instanceof WorkerProjectionHost;
  }

  /** Every batch's changes, across projections (for live feeds). */
  get changes$(): Observable<ProjectionChange[]> {
    return this.host.changes$;
  }

  onApplicationBootstrap(): void {
    this.host.start();
    this.subscribeForWakeups();
  }

  /** Runners finish their current batch before any store closes (stores close in onApplicationShutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    this.wakeups?.unsubscribe();
    this.wakeups = null;
    await this.host.stop();
  }

  /** Waits (bounded) until `projection` has applied the log up to `position`; false when it timed out. */
  waitFor(projection: string, position: number, timeoutMs = 2000): Promise<boolean> {
    if (!this.host.names.includes(projection)) throw new Error(`unknown projection ${projection}`);
    return this.host.waitFor(projection, position, timeoutMs);
  }

  /** Waits for the projection to reach the log's head as of now. */
  async waitForHead(projection: string, timeoutMs = 2000): Promise<boolean> {
    return this.waitFor(projection, await this.log.headPosition(), timeoutMs);
  }

  status(): Promise<ProjectionStatus[]> {
    return this.host.status();
  }

  rebuild(name: string, onProgress?: (position: number, head: number) => void): Promise<RebuildReport> {
    return this.host.rebuild(name, onProgress);
  }

  /** The log's own live subscription is only a wake-up call: the runners read the log themselves. */
  private subscribeForWakeups(): void {
    void this.log.headPosition().then((head) => {
      this.wakeups = this.log
        .subscribeToAll(head)
        .pipe(throttleTime(5, asyncScheduler, { leading: true, trailing: true }))
        .subscribe({
          next: () => this.host.notify(),
          error: (error: Error) => {
            // Runners keep polling; re-subscribe so wake-ups resume.
            this.logger.warn(`log subscription dropped (${error.message}); resubscribing`);
            setTimeout(() => this.subscribeForWakeups(), 1000).unref();
          },
        });
    });
  }
}

/**
 * A worker opens the stores from the configuration, so it cannot share an in-memory log (tests), and it runs
 * compiled code only: `auto` (the default) takes it whenever both hold.
 */
function useWorker(config: AppConfig, log: EventStore, script: string): boolean {
  if (config.projectionsThread === 'inline') return false;
  const possible = !(log instanceof InMemoryEventStore) && workerAvailable(script);
  if (config.projectionsThread === 'worker' && !possible) {
    throw new Error('PROJECTIONS_THREAD=worker needs the compiled service (dist/) and a log the worker can open (not in-memory)');
  }
  return possible;
}
