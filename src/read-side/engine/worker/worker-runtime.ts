import { Logger, LoggerService } from '@nestjs/common';
import { parentPort, workerData } from 'node:worker_threads';
import { AppConfig } from '../../../config/app-config';
import { EventStore } from '../../../shared/event-sourcing/event-store.port';
import { createEventStore } from '../../../event-store/event-store.module';
import { connectReadStore } from '../../store/read-store';
import { InlineProjectionHost, ProjectionCatalog } from '../host';
import { lockFor } from '../lock';
import { FromWorker, ToWorker, WorkerCall } from './protocol';

const post = (message: FromWorker) => parentPort!.postMessage(message);

/** Logs go to the request thread's logger (one format, one level setting). */
class ForwardingLogger implements LoggerService {
  log = (message: unknown, context?: string) => this.send('log', message, context);
  error = (message: unknown, context?: string) => this.send('error', message, context);
  warn = (message: unknown, context?: string) => this.send('warn', message, context);
  debug = (message: unknown, context?: string) => this.send('debug', message, context);
  verbose = (message: unknown, context?: string) => this.send('verbose', message, context);
  fatal = (message: unknown, context?: string) => this.send('fatal', message, context);
  private send(level: Extract<FromWorker, { kind: 'log' }>['level'], message: unknown, context?: string) {
    post({ kind: 'log', level, context: context ?? 'ProjectionWorker', message: String(message) });
  }
}

/**
 * The body of the projection worker thread, called by the catalog's worker entry (the read models'
 * `projection-worker.main.ts`): its own connections to the log and the read store (the request thread
 * migrated the read store before starting it), the catalog's runners, and the request thread's calls.
 */
export function serveProjectionWorker(
  catalog: ProjectionCatalog,
  /** Wraps the log as the request thread's EVENT_STORE is wrapped (the personal-data decorator). */
  decorateLog: (log: EventStore, config: AppConfig) => EventStore = (log) => log,
): void {
  Logger.overrideLogger(new ForwardingLogger());
  const { config } = workerData as { config: AppConfig };
  const readStore = connectReadStore(config); // the request thread has migrated it
  // Processes may append (e.g. penalties).
  const log = decorateLog(createEventStore(config, { writerThread: false }), config);
  const runners = catalog.runners(readStore.db, log, lockFor(readStore.pool));
  const host = new InlineProjectionHost(readStore.db, log, runners, catalog.rebuildable);
  const port = parentPort!;

  // Positions go out at most once per turn (and every 250 ms, for the leader and failing flags).
  let positionsQueued = false;
  const postPositions = () => {
    if (positionsQueued) return;
    positionsQueued = true;
    setImmediate(() => {
      positionsQueued = false;
      const mirrored = runners.map((r) => ({
        name: r.projection.name,
        position: r.position,
        leader: r.leading,
        failing: r.error !== null,
      }));
      post({ kind: 'positions', runners: mirrored });
    });
  };
  for (const runner of runners) runner.positions$.subscribe(postPositions);
  const refresh = setInterval(postPositions, 250);
  host.changes$.subscribe((changes) => post({ kind: 'changes', changes }));

  async function answer(call: WorkerCall): Promise<unknown> {
    switch (call.method) {
      case 'status':
        return host.status();
      case 'rebuild':
        return host.rebuild(call.name, (position, head) => post({ kind: 'progress', id: call.id, position, head }));
      case 'stop':
        clearInterval(refresh);
        await host.stop();
        await readStore.close();
        await log.close();
        return null;
    }
  }

  port.on('message', (message: ToWorker) => {
    if (message.kind === 'wake') return host.notify();
    answer(message).then(
      (value) => {
        post({ kind: 'result', id: message.id, value });
        if (message.method === 'stop') port.close();
      },
      (error: Error) => post({ kind: 'failure', id: message.id, message: error.message }),
    );
  });

  host.start();
}
