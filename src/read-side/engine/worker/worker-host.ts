import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { Kysely } from 'kysely';
import { Observable, Subject } from 'rxjs';
import { AppConfig } from '../../../config/app-config';
import { readCheckpoint } from '../checkpoints';
import { ProjectionChange } from '../projection';
import { FOLLOWER_POLL_MS, ProjectionStatus } from '../runner';
import { ProjectionHost } from '../host';
import { RebuildReport } from '../rebuild';
import { FromWorker, RunnerPosition, ToWorker, WorkerCall } from './protocol';

/**
 * The worker runs compiled JavaScript: `script` (the catalog's worker entry, a .js file beside its module)
 * exists when the service runs from dist/, not under ts-jest.
 */
export const workerAvailable = (script: string) => script.endsWith('.js') && existsSync(script);

const RESTART_DELAY_MS = 1000;
const STOP_TIMEOUT_MS = 15_000;

type Waiter = { name: string; position: number; done(reached: boolean): void };
type Pending = { resolve(value: unknown): void; reject(error: Error): void; onProgress?: (position: number, head: number) => void };
/** A call as the caller writes it (the host adds kind and id). */
type Request = WorkerCall extends infer C ? (C extends WorkerCall ? Omit<C, 'kind' | 'id'> : never) : never;

/**
 * The runners in a worker thread of their own: batches are read, applied and committed there, so under load
 * the request thread spends nothing on them. This side mirrors each runner's position (a read-your-writes
 * wait that is already satisfied costs no message), relays the change feed and the worker's logs, and
 * restarts the worker if it dies (every batch is committed with its checkpoint, so a restart loses nothing).
 */
export class WorkerProjectionHost implements ProjectionHost {
  private readonly logger = new Logger('ProjectionWorker');
  private readonly mirror = new Map<string, RunnerPosition>();
  private readonly waiters = new Set<Waiter>();
  /** The stored checkpoint read in flight per projection, shared by every follower waiting on it. */
  private readonly checkpointReads = new Map<string, Promise<number>>();
  private readonly changes = new Subject<ProjectionChange[]>();
  private readonly pending = new Map<number, Pending>();
  private worker: Worker | null = null;
  private nextId = 1;
  private stopping = false;
  private wakePending = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private lastExit: string | null = null;

  constructor(
    private readonly config: AppConfig,
    readonly names: readonly string[],
    /** This thread's read store: a follower's progress is the leader's stored checkpoint. */
    private readonly db: Kysely<any>,
    /** The worker's entry: the catalog's `workerScript` (tests give a double). */
    private readonly script: string,
  ) {}

  get changes$(): Observable<ProjectionChange[]> {
    return this.changes.asObservable();
  }

  start(): void {
    if (this.worker || this.stopping) return;
    const worker = new Worker(this.script, { workerData: { config: this.config } });
    this.worker = worker;
    worker.on('message', (message: FromWorker) => this.receive(message));
    worker.on('error', (error) => this.logger.error(`projection worker failed: ${error.stack ?? error.message}`));
    worker.on('exit', (code) => this.exited(worker, code));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Let the runners finish their batch and close their connections; terminate only if that hangs.
    const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
    await this.call({ method: 'stop' }).catch(() => undefined);
    await exited;
    clearTimeout(timer);
  }

  /** Coalesced: one wake-up message per turn of the event loop at most. */
  notify(): void {
    if (this.wakePending || !this.worker) return;
    this.wakePending = true;
    setImmediate(() => {
      this.wakePending = false;
      this.send({ kind: 'wake' });
    });
  }

  /** Answered from the mirror: no message per wait, the worker's position updates resolve it. */
  async waitFor(name: string, position: number, timeoutMs: number): Promise<boolean> {
    const known = this.mirror.get(name);
    if (known && known.position >= position) return true;
    if (!this.worker || known?.failing) return false; // restarting or failing (e.g. read store down): do not hold callers
    this.notify();
    if (known && !known.leader) return this.followStoredCheckpoint(name, position, timeoutMs);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => waiter.done(false), timeoutMs);
      const waiter: Waiter = {
        name,
        position,
        done: (reached) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /**
   * Another instance leads `name`: poll its stored checkpoint, as an inline follower does. Every waiter shares
   * the read in flight (issue 19: under load on a follower, 50 requests each polling every 10 ms took the
   * read store's connections from the commands themselves).
   */
  private async followStoredCheckpoint(name: string, position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const stored = await this.storedCheckpoint(name);
      if (stored >= position) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, FOLLOWER_POLL_MS));
    }
  }

  private storedCheckpoint(name: string): Promise<number> {
    let pending = this.checkpointReads.get(name);
    if (!pending) {
      pending = readCheckpoint(this.db, name)
        .catch(() => 0)
        .finally(() => this.checkpointReads.delete(name));
      this.checkpointReads.set(name, pending);
    }
    return pending;
  }

  async status(): Promise<ProjectionStatus[]> {
    if (this.worker) {
      const statuses = await this.call({ method: 'status' }).catch(() => null);
      if (statuses) return statuses as ProjectionStatus[];
    }
    // No worker to ask: report what is known, as failing (health answers 503).
    const error = `the projection worker is not running${this.lastExit ? ` (${this.lastExit})` : ''}`;
    return this.names.map((name) => ({
      name,
      position: this.mirror.get(name)?.position ?? 0,
      headPosition: 0,
      lagEvents: 0,
      lagSeconds: 0,
      lagMs: 0,
      running: false,
      leader: false,
      error,
    }));
  }

  async rebuild(name: string, onProgress?: (position: number, head: number) => void): Promise<RebuildReport> {
    return (await this.call({ method: 'rebuild', name }, onProgress)) as RebuildReport;
  }

  private call(request: Request, onProgress?: Pending['onProgress']): Promise<unknown> {
    if (!this.worker) return Promise.reject(new Error('the projection worker is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.send({ kind: 'call', id, ...request } as ToWorker);
    });
  }

  private send(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private receive(message: FromWorker): void {
    switch (message.kind) {
      case 'positions':
        for (const runner of message.runners) this.mirror.set(runner.name, runner);
        for (const waiter of this.waiters) {
          const runner = this.mirror.get(waiter.name);
          if (runner && runner.position >= waiter.position) waiter.done(true);
          else if (runner?.failing) waiter.done(false);
        }
        return;
      case 'changes':
        this.changes.next(message.changes);
        return;
      case 'log':
        this.logger[message.level](message.message, message.context);
        return;
      case 'progress':
        this.pending.get(message.id)?.onProgress?.(message.position, message.head);
        return;
      case 'result':
        this.pending.get(message.id)?.resolve(message.value);
        this.pending.delete(message.id);
        return;
      case 'failure':
        this.pending.get(message.id)?.reject(new Error(message.message));
        this.pending.delete(message.id);
        return;
    }
  }

  private exited(worker: Worker, code: number): void {
    if (this.worker !== worker) return;
    this.worker = null;
    for (const call of this.pending.values()) call.reject(new Error(`the projection worker exited (code ${code})`));
    this.pending.clear();
    for (const waiter of this.waiters) waiter.done(false);
    if (this.stopping) return;
    this.lastExit = `exited with code ${code}`;
    this.logger.error(`projection worker ${this.lastExit}; restarting in ${RESTART_DELAY_MS} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.start();
    }, RESTART_DELAY_MS);
    this.restartTimer.unref();
  }
}
