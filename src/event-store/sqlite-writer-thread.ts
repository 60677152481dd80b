import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BatchOutcome, PreparedAppend } from './sqlite-event-writer';

const WRITER_SCRIPT = join(__dirname, 'sqlite-writer.main.js');
/** A writer that keeps dying (e.g. an unreadable file) is not restarted more often than this. */
const RESTART_INTERVAL_MS = 1000;

/** The writer runs compiled JavaScript: present when the service runs from dist/, not under ts-jest. */
export const writerThreadAvailable = () => existsSync(WRITER_SCRIPT);

export interface WriterThreadOptions {
  file: string;
  synchronous: 'FULL' | 'NORMAL';
  busyTimeoutMs: number;
}

export type WriterRequest =
  { kind: 'write'; id: number; batch: PreparedAppend[] } | { kind: 'probe'; id: number } | { kind: 'close'; id: number };

/**
 * The request thread's handle on the writer thread. If the thread dies, the batches in flight fail: their
 * appends are rejected, not acknowledged (they may have committed: a retry with the same command id finds
 * them applied), so nothing acknowledged is lost. The next write starts a new thread.
 */
export class SqliteWriterThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, (outcome: BatchOutcome | null) => void>();
  private nextId = 1;
  private closing = false;
  private startedAt = 0;
  private lastFailure: string | null = null;
  restarts = 0;

  constructor(private readonly options: WriterThreadOptions) {
    this.spawn();
  }

  write(batch: PreparedAppend[]): Promise<BatchOutcome> {
    return this.send((id) => ({ kind: 'write', id, batch }));
  }

  /** The writer's probe (SqliteEventWriter.probe) on the writer's own connection. */
  probe(): Promise<BatchOutcome> {
    return this.send((id) => ({ kind: 'probe', id }));
  }

  private send(request: (id: number) => WriterRequest): Promise<BatchOutcome> {
    if (!this.worker && Date.now() - this.startedAt >= RESTART_INTERVAL_MS) {
      this.restarts++;
      this.spawn();
    }
    if (!this.worker) return Promise.resolve({ ok: false, error: { message: this.lastFailure ?? 'the writer thread is not running' } });
    return this.request(this.worker, request(this.nextId++)) as Promise<BatchOutcome>;
  }

  async close(): Promise<void> {
    this.closing = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    await this.request(worker, { kind: 'close', id: this.nextId++ });
    await exited;
  }

  private spawn(): void {
    this.startedAt = Date.now();
    this.lastFailure = null;
    const worker = new Worker(WRITER_SCRIPT, { workerData: this.options });
    this.worker = worker;
    worker.on('message', ({ id, outcome }: { id: number; outcome: BatchOutcome | null }) => {
      this.pending.get(id)?.(outcome);
      this.pending.delete(id);
    });
    worker.on('error', (error) => (this.lastFailure = `the event store's writer thread failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      if (!this.closing) this.lastFailure ??= `the event store's writer thread exited (code ${code})`;
      const message = this.lastFailure ?? 'the writer thread stopped';
      for (const settle of this.pending.values()) settle({ ok: false, error: { message } });
      this.pending.clear();
    });
  }

  private request(worker: Worker, request: WriterRequest): Promise<BatchOutcome | null> {
    return new Promise((resolve) => {
      this.pending.set(request.id, resolve);
      worker.postMessage(request);
    });
  }
}
