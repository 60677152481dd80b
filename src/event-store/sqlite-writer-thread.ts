import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BatchOutcome, PreparedAppend } from './sqlite-event-writer';

const WRITER_SCRIPT = join(__dirname, 'sqlite-writer.main.js');

/** The writer runs compiled JavaScript: present when the service runs from dist/, not under ts-jest. */
export const writerThreadAvailable = () => existsSync(WRITER_SCRIPT);

export interface WriterThreadOptions {
  file: string;
  synchronous: 'FULL' | 'NORMAL';
  busyTimeoutMs: number;
}

export type WriterRequest = { kind: 'write'; id: number; batch: PreparedAppend[] } | { kind: 'close'; id: number };

/**
 * The request thread's handle on the writer thread. If the thread dies, every batch in flight fails (its
 * appends are rejected: not acknowledged, so nothing acknowledged is lost) and so does every later write.
 */
export class SqliteWriterThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, (outcome: BatchOutcome | null) => void>();
  private nextId = 1;
  private dead: Error | null = null;

  constructor(options: WriterThreadOptions) {
    this.worker = new Worker(WRITER_SCRIPT, { workerData: options });
    this.worker.on('message', ({ id, outcome }: { id: number; outcome: BatchOutcome | null }) => {
      this.pending.get(id)?.(outcome);
      this.pending.delete(id);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the event store's writer thread exited (code ${code})`)));
  }

  write(batch: PreparedAppend[]): Promise<BatchOutcome> {
    if (this.dead) return Promise.resolve({ ok: false, error: { message: this.dead.message } });
    return this.request({ kind: 'write', id: this.nextId++, batch }) as Promise<BatchOutcome>;
  }

  async close(): Promise<void> {
    if (this.dead) return;
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    await this.request({ kind: 'close', id: this.nextId++ });
    await exited;
  }

  private request(request: WriterRequest): Promise<BatchOutcome | null> {
    return new Promise((resolve) => {
      this.pending.set(request.id, resolve);
      this.worker.postMessage(request);
    });
  }

  private fail(error: Error): void {
    this.dead ??= error;
    for (const settle of this.pending.values()) settle({ ok: false, error: { message: error.message } });
    this.pending.clear();
  }
}
