import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Counter } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EVENT_STORE, EventStore } from '../../shared/event-sourcing/event-store.port';
import { InMemoryEventStore } from '../../event-store/in-memory-event-store';
import { METRICS_PREFIX, MetricsService } from '../../ops/metrics';
import { READ_STORE, ReadStore } from '../../read-side/store/read-store';
import { WhatIfReport } from '../domain/what-if';
import { WhatIfFromWorker } from './what-if-protocol';
import { replayWhatIf, WhatIfBusy, WhatIfCancelled, WhatIfJob, WhatIfOverBudget } from './what-if-replay';

export const WHAT_IF_WORKER_SCRIPT = join(__dirname, 'what-if.worker.main.js');

/** An inline replay yields to the event loop after this much work (then finishes its current dispute). */
export const INLINE_SLICE_MS = 10;
/** A worker that answered is given this long to close its connections before it is terminated. */
const EXIT_GRACE_MS = 1000;
/** Heap of one replay's worker: a replay that needs more fails alone instead of taking the process down. */
const WORKER_HEAP_MB = 1024;

export type WhatIfOutcome = 'completed' | 'over_budget' | 'cancelled' | 'busy' | 'failed';

/**
 * Runs what-if replays off the request thread (issue #12, "bounded work"): each in a worker thread of its own
 * when the service runs compiled (npm start) with a log the worker can open, else inline in slices of
 * INLINE_SLICE_MS that yield to the event loop (under ts-jest, or with an in-memory log). Either way a replay
 * has a time budget (WHAT_IF_TIME_BUDGET_MS), stops when its caller's signal aborts (the client disconnected),
 * and at most WHAT_IF_MAX_CONCURRENT run at once. A replay only reads: stopping it loses nothing.
 */
@Injectable()
export class WhatIfRunner implements BeforeApplicationShutdown {
  private runningCount = 0;
  private readonly workers = new Set<Worker>();
  private readonly outcomes: Counter<'outcome' | 'thread'>;
  readonly thread: 'worker' | 'inline';

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly log: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    metrics: MetricsService,
  ) {
    this.thread = existsSync(WHAT_IF_WORKER_SCRIPT) && !(log instanceof InMemoryEventStore) ? 'worker' : 'inline';
    this.outcomes = metrics.counter({
      name: `${METRICS_PREFIX}what_if_replays_total`,
      help: 'What-if replays by outcome (completed, over_budget, cancelled by a client disconnect, busy, failed) and thread (worker or inline)',
      labelNames: ['outcome', 'thread'],
    });
    const running = () => this.running;
    metrics.gauge({
      name: `${METRICS_PREFIX}what_if_replays_running`,
      help: 'What-if replays running now (a worker counts until its thread has exited)',
      collect() {
        this.set(running());
      },
    });
  }

  get running(): number {
    return this.runningCount;
  }

  async run(job: WhatIfJob, signal?: AbortSignal): Promise<WhatIfReport> {
    if (this.runningCount >= this.config.whatIf.maxConcurrent) {
      this.count('busy');
      throw new WhatIfBusy(this.runningCount);
    }
    this.runningCount++;
    let release: (() => void) | null = () => {
      this.runningCount--;
      release = null;
    };
    try {
      const report = this.thread === 'worker' ? await this.inWorker(job, signal, () => release?.()) : await this.inline(job, signal);
      this.count('completed');
      return report;
    } catch (error) {
      this.count(error instanceof WhatIfOverBudget ? 'over_budget' : error instanceof WhatIfCancelled ? 'cancelled' : 'failed');
      throw error;
    } finally {
      // A worker releases its slot when its thread has exited; inline replays when they return.
      if (this.thread === 'inline') release?.();
    }
  }

  /** Stops every replay still running (the service is shutting down; their callers get an error). */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.terminate()));
  }

  private count(outcome: WhatIfOutcome): void {
    this.outcomes.inc({ outcome, thread: this.thread });
  }

  private inline(job: WhatIfJob, signal?: AbortSignal): Promise<WhatIfReport> {
    const budgetMs = this.config.whatIf.timeBudgetMs;
    return replayWhatIf({ log: this.log, db: this.readStore.db }, job, {
      signal,
      deadline: Date.now() + budgetMs,
      budgetMs,
      sliceMs: INLINE_SLICE_MS,
    });
  }

  private inWorker(job: WhatIfJob, signal: AbortSignal | undefined, exited: () => void): Promise<WhatIfReport> {
    const budgetMs = this.config.whatIf.timeBudgetMs;
    let worker: Worker;
    try {
      worker = new Worker(WHAT_IF_WORKER_SCRIPT, {
        workerData: { config: this.config, job },
        resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      });
    } catch (error) {
      exited();
      return Promise.reject(error as Error);
    }
    this.workers.add(worker);
    worker.once('exit', () => {
      this.workers.delete(worker);
      exited();
    });
    return new Promise<WhatIfReport>((resolve, reject) => {
      let done: number | null = null;
      let total: number | null = null;
      let settled = false;
      const settle = (answer: () => void, graceMs: number) => {
        if (settled) return;
        settled = true;
        clearTimeout(budget);
        signal?.removeEventListener('abort', onAbort);
        if (graceMs === 0) void worker.terminate();
        else setTimeout(() => void worker.terminate(), graceMs).unref();
        answer();
      };
      const budget = setTimeout(() => settle(() => reject(new WhatIfOverBudget(budgetMs, done, total)), 0), budgetMs);
      const onAbort = () => settle(() => reject(new WhatIfCancelled()), 0);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) onAbort();
      worker.on('message', (message: WhatIfFromWorker) => {
        if (message.kind === 'progress') ({ done, total } = message);
        else if (message.kind === 'result') settle(() => resolve(message.report), EXIT_GRACE_MS);
        else settle(() => reject(rebuildError(message.name, message.message)), EXIT_GRACE_MS);
      });
      worker.on('error', (error) => settle(() => reject(error), 0));
      worker.on('exit', (code) => settle(() => reject(new Error(`the what-if worker exited (code ${code}) without an answer`)), 0));
    });
  }
}

/** A failure inside the worker as the inline replay would have thrown it (RangeError: a refused computation). */
function rebuildError(name: string, message: string): Error {
  const error = name === 'RangeError' ? new RangeError(message) : new Error(message);
  if (name !== 'RangeError') error.name = name;
  return error;
}
