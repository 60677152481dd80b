import { Kysely } from 'kysely';
import { merge, Observable } from 'rxjs';
import { EventStore } from '../shared/event-sourcing/event-store.port';
import { ReadSchema } from '../read-store/read-schema';
import { PENALTY_PROCESSOR, PenaltyProcessor } from '../sla/application/penalty-processor';
import { SlaPolicyRegistry } from '../sla/application/sla-policy.registry';
import { ProjectionChange } from './projection';
import { ProjectionRunner, ProjectionStatus } from './projection-engine';
import { ProjectionLock } from './projection-lock';
import { rebuildProjection, RebuildReport } from './rebuild';
import { PROJECTIONS } from './registry';

/**
 * Where the runners live: in this thread (`InlineProjectionHost`), or in a worker thread of their own
 * (`WorkerProjectionHost`) so that applying batches never takes the request thread's CPU.
 */
export interface ProjectionHost {
  /** Every runner's name: the rebuildable read models, then the processes (the penalty processor). */
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
 * Commands wait for the disputes model (cross-dispute rules), so it applies every batch at once; the others
 * are only read, and under load they gather events for up to this long per batch: fewer commits on the
 * shared read store, which shortens the disputes model's own waits.
 */
export const RELAXED_BATCH_INTERVAL_MS = 25;

/** The runners one host drives: every read model, and the penalty processor (never rebuilt). */
export function hostedRunners(db: Kysely<ReadSchema>, log: EventStore, policies: SlaPolicyRegistry, lock: ProjectionLock): ProjectionRunner[] {
  const relaxed = (name: string) => (name === 'disputes' ? 0 : RELAXED_BATCH_INTERVAL_MS);
  return [
    ...PROJECTIONS(policies).map((p) => new ProjectionRunner(db, log, p, { lock, minBatchIntervalMs: relaxed(p.name) })),
    new ProjectionRunner(db, log, new PenaltyProcessor(log, policies), { lock, pollIntervalMs: 250, minBatchIntervalMs: RELAXED_BATCH_INTERVAL_MS }),
  ];
}

/** Their names, in the same order. */
export const hostedNames = (): string[] => [...PROJECTIONS().map((p) => p.name), PENALTY_PROCESSOR];

export const isRebuildable = (name: string) => PROJECTIONS().some((p) => p.name === name);

/** The runners in this thread. */
export class InlineProjectionHost implements ProjectionHost {
  readonly names: readonly string[];
  private readonly rebuilding = new Set<string>();

  constructor(
    private readonly db: Kysely<ReadSchema>,
    private readonly log: EventStore,
    readonly runners: readonly ProjectionRunner[],
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
    if (!isRebuildable(name)) throw new Error(`${name} is not a rebuildable projection`);
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
