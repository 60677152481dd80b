import { Kysely } from 'kysely';
import { merge, Observable } from 'rxjs';
import { EventStore } from '../../shared/event-sourcing/event-store.port';
import { ProjectionChange } from './projection';
import { ProjectionRunner, ProjectionStatus } from './runner';
import { ProjectionLock } from './lock';
import { rebuildProjection, RebuildReport } from './rebuild';

/**
 * Where the runners live: in this thread (`InlineProjectionHost`), or in a worker thread of their own
 * (`WorkerProjectionHost`) so that applying batches never takes the request thread's CPU.
 */
export interface ProjectionHost {
  /** Every runner's name: the rebuildable read models, then the processes (e.g. the penalty processor). */
  readonly names: readonly string[];
  readonly changes$: Observable<ProjectionChange[]>;
  start(): void;
  stop(): Promise<void>;
  /** New events may be in the log. */
  notify(): void;
  /** True once `name` has applied the log up to `position`; false when it timed out or is failing. */
  waitFor(name: string, position: number, timeoutMs: number): Promise<boolean>;
  status(): Promise<ProjectionStatus[]>;
  rebuild(name: string, onProgress?: (position: number, head: number) => void): Promise<RebuildReport>;
}

/**
 * What the engine runs, as the read models compose it: the engine itself knows no read model and no domain.
 * `runners` builds every runner on the given connections (the request thread's, or a worker thread's own).
 */
export interface ProjectionCatalog {
  /** Every runner's name in order: the rebuildable read models, then processes (never rebuilt). */
  readonly names: readonly string[];
  /** The read models a rebuild may replace. */
  readonly rebuildable: readonly string[];
  /** The compiled worker-thread entry that builds the same runners (see engine/worker/worker-runtime.ts). */
  readonly workerScript: string;
  runners(db: Kysely<any>, log: EventStore, lock: ProjectionLock): ProjectionRunner[];
}

/** The runners in this thread. */
export class InlineProjectionHost implements ProjectionHost {
  readonly names: readonly string[];
  private readonly rebuilding = new Set<string>();

  constructor(
    private readonly db: Kysely<any>,
    private readonly log: EventStore,
    readonly runners: readonly ProjectionRunner[],
    private readonly rebuildable: readonly string[],
  ) {
    this.names = runners.map((r) => r.projection.name);
  }

  get changes$(): Observable<ProjectionChange[]> {
    return merge(...this.runners.map((r) => r.changes$));
  }

  start(): void {
    for (const runner of this.runners) runner.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
  }

  notify(): void {
    for (const runner of this.runners) runner.notify();
  }

  async waitFor(name: string, position: number, timeoutMs: number): Promise<boolean> {
    const runner = this.runner(name);
    if (runner.error) return runner.position >= position; // failing (e.g. read store down): do not hold callers
    try {
      await runner.waitFor(position, timeoutMs);
      return true;
    } catch {
      return false;
    }
  }

  status(): Promise<ProjectionStatus[]> {
    return Promise.all(this.runners.map((r) => r.status()));
  }

  async rebuild(name: string, onProgress?: (position: number, head: number) => void): Promise<RebuildReport> {
    if (!this.rebuildable.includes(name)) throw new Error(`${name} is not a rebuildable projection`);
    if (this.rebuilding.has(name)) throw new Error(`a rebuild of ${name} is already running`);
    this.rebuilding.add(name);
    try {
      const runner = this.runner(name);
      const report = await rebuildProjection(this.db, this.log, runner.projection, { onProgress });
      await runner.reload();
      runner.notify();
      return report;
    } finally {
      this.rebuilding.delete(name);
    }
  }

  private runner(name: string): ProjectionRunner {
    const runner = this.runners.find((r) => r.projection.name === name);
    if (!runner) throw new Error(`unknown projection ${name}`);
    return runner;
  }
}
