import { secondsToMs } from '../../shared/durations';
import { Logger } from '@nestjs/common';
import { Kysely } from 'kysely';
import { BehaviorSubject, filter, firstValueFrom, Observable, Subject, timeout, TimeoutError } from 'rxjs';
import { EventStore } from '../../shared/event-sourcing/event-store.port';
import { Projection, ProjectionChange, TableNames, liveNames } from './projection';
import { applyAtCheckpoint, readCheckpoint } from './checkpoints';
import { LocalProjectionLock, ProjectionLock } from './lock';

const MAX_BACKOFF_MS = 5000;
/** How often a follower (another instance leads) looks at the stored checkpoint while a caller waits. */
export const FOLLOWER_POLL_MS = 10;

/**
 * Lets timers and I/O (HTTP requests) run between batches. With the embedded stores every await of a batch
 * resolves at once, so a catch-up loop would otherwise hold the event loop until the head is reached.
 */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** An event the projection cannot apply: the runner stops on it (never skips it) and names it. */
export class ProjectionApplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectionApplyError';
  }
}

export interface RunnerOptions {
  batchSize?: number;
  /** Physical tables to write (a rebuild passes its shadow tables). */
  names?: TableNames;
  /** Row of projection_checkpoints to use (a rebuild uses its own). */
  checkpointName?: string;
  lock?: ProjectionLock;
  /** Fallback poll when no wake-up arrives (other instances' writes, a dead subscription). */
  pollIntervalMs?: number;
  lockRetryMs?: number;
  /**
   * Under load, wait this long after a partial batch before the next: fewer, bigger batches (one commit
   * each) for a read model no command waits on. An idle runner still applies a lone event at once.
   */
  minBatchIntervalMs?: number;
}

export interface ProjectionStatus {
  name: string;
  position: number;
  headPosition: number;
  lagEvents: number;
  /** Age of the oldest event not yet applied, in seconds (0 when caught up). */
  lagSeconds: number;
  /** lagSeconds in milliseconds (the API's one duration unit). */
  lagMs: number;
  running: boolean;
  leader: boolean;
  error: string | null;
}

/**
 * Feeds one projection from its checkpoint. Each batch is read from the log after the *stored* checkpoint
 * and committed with the new checkpoint in one transaction that first re-checks the stored one: a batch that
 * lost a race (another runner, a rebuild's swap) is dropped and re-read. So every event applies exactly once,
 * across crashes, concurrent runners and swaps. The log is the only source; nothing depends on the in-process
 * event bus for delivery.
 */
export class ProjectionRunner {
  readonly changes$ = new Subject<ProjectionChange[]>();
  private readonly logger: Logger;
  private readonly position$ = new BehaviorSubject<number>(0);
  private readonly names: TableNames;
  private readonly checkpointName: string;
  private readonly lock: ProjectionLock;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly lockRetryMs: number;
  private readonly minBatchIntervalMs: number;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private leader = false;
  private oldestPendingAt: string | null = null;
  private head = 0;
  private following: Promise<number> | null = null;

  constructor(
    private readonly db: Kysely<any>,
    private readonly log: EventStore,
    readonly projection: Projection,
    options: RunnerOptions = {},
  ) {
    this.names = options.names ?? liveNames(projection.tables);
    this.checkpointName = options.checkpointName ?? projection.name;
    this.lock = options.lock ?? new LocalProjectionLock();
    this.batchSize = options.batchSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.lockRetryMs = options.lockRetryMs ?? 1000;
    this.minBatchIntervalMs = options.minBatchIntervalMs ?? 0;
    this.logger = new Logger(`Projection:${this.checkpointName}`);
  }

  get position(): number {
    return this.position$.value;
  }

  /** Every advance of the applied position (a worker thread mirrors it to the request thread). */
  get positions$(): Observable<number> {
    return this.position$.asObservable();
  }

  get error(): Error | null {
    return this.failure;
  }

  /** True while this instance holds the projection's lock and applies batches itself. */
  get leading(): boolean {
    return this.leader;
  }

  /** Starts the background loop (leader election, catch-up, then tailing). */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run().finally(() => (this.loop = null));
  }

  /** Lets the current batch finish, then stops and releases the lock. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.notify();
    await this.loop;
  }

  /** Called when new events may be in the log. */
  notify(): void {
    this.wake?.();
  }

  /** Applies batches until the log has nothing more (rebuilds and tests). Not for use while `start`ed. */
  async catchUp(): Promise<number> {
    while ((await this.step()) > 0);
    return this.position;
  }

  async waitFor(position: number, timeoutMs = 2000): Promise<void> {
    if (this.position >= position) return;
    const deadline = Date.now() + timeoutMs;
    // Another instance leads: its progress shows only in the stored checkpoint.
    while (this.loop !== null && !this.leader) {
      if ((await this.followStoredCheckpoint()) >= position) return;
      if (Date.now() >= deadline) throw new TimeoutError();
      await new Promise((resolve) => setTimeout(resolve, FOLLOWER_POLL_MS));
    }
    this.notify();
    await firstValueFrom(
      this.position$.pipe(
        filter((p) => p >= position),
        timeout(Math.max(1, deadline - Date.now())),
      ),
    );
  }

  /** A follower's position is the leader's stored checkpoint; concurrent waiters share the read in flight. */
  private followStoredCheckpoint(): Promise<number> {
    this.following ??= this.storedCheckpoint()
      .then((stored) => {
        if (stored > this.position) this.position$.next(stored);
        return this.position;
      })
      .finally(() => (this.following = null));
    return this.following;
  }

  async status(): Promise<ProjectionStatus> {
    this.head = await this.log.headPosition();
    const lagEvents = Math.max(0, this.head - this.position);
    const lagSeconds = lagEvents > 0 && this.oldestPendingAt ? Math.max(0, (Date.now() - Date.parse(this.oldestPendingAt)) / 1000) : 0;
    return {
      name: this.checkpointName,
      position: this.position,
      headPosition: this.head,
      lagEvents,
      lagSeconds,
      lagMs: secondsToMs(lagSeconds),
      running: this.loop !== null,
      leader: this.leader,
      error: this.failure?.message ?? null,
    };
  }

  /** Points the in-memory position at the stored checkpoint (after a swap replaced the tables). */
  async reload(): Promise<void> {
    this.position$.next(await this.storedCheckpoint());
  }

  private async run(): Promise<void> {
    let backoff = this.pollIntervalMs;
    try {
      while (!this.stopping) {
        if (!(await this.ensureLeader())) {
          // Keep position and lag true while another instance leads (health, metrics).
          await this.followStoredCheckpoint().catch(() => undefined);
          // Not woken by new events: a follower that retried the lock and re-read the checkpoint on every
          // append (issue 19: ~7 projections × 2 queries per event per idle instance) slowed a three-instance
          // deployment to a fifth of one instance. It tries again every lockRetryMs, or stops.
          await this.sleep(this.lockRetryMs, { wakeOnNotify: false });
          continue;
        }
        let applied = 0;
        try {
          applied = await this.step();
          if (this.failure) this.logger.log(`resumed after: ${this.failure.message}`);
          this.failure = null;
          backoff = this.pollIntervalMs;
        } catch (error) {
          this.failure = error as Error;
          if (error instanceof ProjectionApplyError) {
            // Stop loudly on an event the projection cannot apply; never skip it.
            this.logger.error(`stopped: ${error.message}`);
            return;
          }
          // The store is unreachable (or the log): report it (health shows it) and try again, backing off.
          this.logger.warn(`batch failed, retrying in ${backoff} ms: ${(error as Error).message}`);
          await this.sleep(backoff);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
          continue;
        }
        if (applied === 0) await this.sleep(this.pollIntervalMs);
        else if (this.minBatchIntervalMs > 0 && applied < this.batchSize && !this.stopping) await delay(this.minBatchIntervalMs);
        else await yieldToEventLoop();
      }
    } finally {
      this.leader = false;
      await this.lock.release(this.checkpointName).catch(() => undefined);
    }
  }

  private async ensureLeader(): Promise<boolean> {
    if (this.leader && this.lock.holds(this.checkpointName)) return true;
    this.leader = await this.lock.tryAcquire(this.checkpointName).catch((error: Error) => {
      this.logger.warn(`lock: ${error.message}`);
      return false;
    });
    if (this.leader) await this.reload();
    return this.leader;
  }

  /** One batch: read after the stored checkpoint, apply and advance it atomically. Returns events applied. */
  private async step(): Promise<number> {
    const from = await this.storedCheckpoint();
    if (from > this.position) this.position$.next(from);
    const events = await this.log.readAll({ after: from, maxCount: this.batchSize });
    if (events.length === 0) {
      this.oldestPendingAt = null;
      return 0;
    }
    this.oldestPendingAt = events[0].occurredAt;
    const last = events[events.length - 1].position;
    const outcome = await this.db
      .transaction()
      .execute((trx) => applyAtCheckpoint(trx, this.checkpointName, from, last, () => this.projection.applyBatch(trx, events, this.names)));
    if ('moved' in outcome) return 1; // someone else moved it: try again at once from the new checkpoint
    const changes = outcome.applied;
    this.position$.next(last);
    if (changes.length > 0) this.changes$.next(changes);
    return events.length;
  }

  private storedCheckpoint(): Promise<number> {
    return readCheckpoint(this.db, this.checkpointName);
  }

  /** Until `ms` pass, `stop()` is called, or (unless wakeOnNotify is false) new events may be in the log. */
  private sleep(ms: number, options: { wakeOnNotify?: boolean } = {}): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        if (this.wake === wake) this.wake = null;
        resolve();
      };
      const wake = options.wakeOnNotify === false ? () => void (this.stopping && done()) : done;
      timer = setTimeout(done, ms);
      timer.unref?.();
      this.wake = wake;
    });
  }
}
