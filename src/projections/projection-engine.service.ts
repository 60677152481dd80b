import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { merge, Observable, Subscription, throttleTime, asyncScheduler } from 'rxjs';
import { EVENT_STORE, EventStore } from '../event-store/domain/event-store.port';
import { READ_STORE, ReadStore } from '../read-store/read-store';
import { ProjectionChange } from './projection';
import { ProjectionRunner, ProjectionStatus } from './projection-engine';
import { lockFor, ProjectionLock } from './projection-lock';
import { PROJECTIONS } from './registry';
import { SlaPolicyRegistry } from '../sla/application/sla-policy.registry';
import { rebuildProjection, RebuildReport } from './rebuild';

export { PROJECTIONS };

/**
 * Runs every projection in this instance (each one only while it holds its lock), wakes them when the log
 * grows, and answers lag, read-your-writes waits and rebuilds.
 */
@Injectable()
export class ProjectionEngine implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProjectionEngine.name);
  readonly runners: ProjectionRunner[];
  private readonly lock: ProjectionLock;
  private wakeups: Subscription | null = null;
  private rebuilding = new Set<string>();

  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(EVENT_STORE) private readonly log: EventStore,
    policies: SlaPolicyRegistry,
  ) {
    this.lock = lockFor(readStore.pool);
    this.runners = PROJECTIONS(policies).map((p) => new ProjectionRunner(readStore.db, log, p, { lock: this.lock }));
  }

  runner(name: string): ProjectionRunner {
    const runner = this.runners.find((r) => r.projection.name === name);
    if (!runner) throw new Error(`unknown projection ${name}`);
    return runner;
  }

  /** Every batch's changes, across projections (for live feeds). */
  get changes$(): Observable<ProjectionChange[]> {
    return merge(...this.runners.map((r) => r.changes$));
  }

  onApplicationBootstrap(): void {
    for (const runner of this.runners) runner.start();
    this.subscribeForWakeups();
  }

  /** Runners finish their current batch before any store closes (stores close in onApplicationShutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    this.wakeups?.unsubscribe();
    await Promise.all(this.runners.map((r) => r.stop()));
  }

  /** Waits (bounded) until `projection` has applied the log up to `position`; false when it timed out. */
  async waitFor(projection: string, position: number, timeoutMs = 2000): Promise<boolean> {
    const runner = this.runner(projection);
    if (runner.error) return runner.position >= position; // failing (e.g. read store down): do not hold callers
    try {
      await runner.waitFor(position, timeoutMs);
      return true;
    } catch {
      return false;
    }
  }

  /** Waits for the projection to reach the log's head as of now. */
  async waitForHead(projection: string, timeoutMs = 2000): Promise<boolean> {
    return this.waitFor(projection, await this.log.headPosition(), timeoutMs);
  }

  status(): Promise<ProjectionStatus[]> {
    return Promise.all(this.runners.map((r) => r.status()));
  }

  async rebuild(name: string, onProgress?: (position: number, head: number) => void): Promise<RebuildReport> {
    if (this.rebuilding.has(name)) throw new Error(`a rebuild of ${name} is already running`);
    this.rebuilding.add(name);
    try {
      const runner = this.runner(name);
      const report = await rebuildProjection(this.readStore.db, this.log, runner.projection, { onProgress });
      await runner.reload();
      runner.notify();
      return report;
    } finally {
      this.rebuilding.delete(name);
    }
  }

  /** The log's own live subscription is only a wake-up call: the runners read the log themselves. */
  private subscribeForWakeups(): void {
    void this.log.headPosition().then((head) => {
      this.wakeups = this.log
        .subscribeToAll(head)
        .pipe(throttleTime(5, asyncScheduler, { leading: true, trailing: true }))
        .subscribe({
          next: () => this.runners.forEach((r) => r.notify()),
          error: (error: Error) => {
            // Runners keep polling; re-subscribe so wake-ups resume.
            this.logger.warn(`log subscription dropped (${error.message}); resubscribing`);
            setTimeout(() => this.subscribeForWakeups(), 1000).unref();
          },
        });
    });
  }
}
