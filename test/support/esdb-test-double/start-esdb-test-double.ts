import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

/**
 * Starts the EventStoreDB TEST DOUBLE (esdb-test-double-server.js, not a real EventStoreDB) in a child
 * process on a free port. A separate process because the generated protobuf classes register globally.
 */
export interface EsdbTestDouble {
  /** `esdb://127.0.0.1:PORT?tls=false`: insecure, single node, no gossip. */
  connectionString: string;
  /** Ends every live $all subscription with a gRPC error (default UNAVAILABLE, as when a node goes away). */
  dropSubscriptions(code?: number): Promise<{ dropped: number }>;
  /** Appends a `$`-prefixed system event, as a real node does now and then (stats, settings...). */
  appendSystemEvent(): Promise<{ position: number }>;
  /** Calls per method so far (batchAppend counts appends), and the number of live subscriptions. */
  stats(): Promise<{ read: number; append: number; batchAppend: number; subscribeToAll: number; liveSubscriptions: number }>;
  stop(): Promise<void>;
}

const SCRIPT = join(__dirname, 'esdb-test-double-server.js');

export async function startEsdbTestDouble(timeoutMs = 10000): Promise<EsdbTestDouble> {
  // execArgv: [] so that Jest's or ts-node's flags of the parent are not inherited by a plain JS child.
  const child = fork(SCRIPT, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await waitForListening(child, timeoutMs);

  let nextId = 0;
  const pending = new Map<number, (result: unknown) => void>();
  child.on('message', (message: { type: string; id: number; result: unknown }) => {
    if (message.type !== 'reply') return;
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  });
  const command = <T>(type: string, args: Record<string, unknown> = {}) =>
    new Promise<T>((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve as (result: unknown) => void);
      child.send({ ...args, type, id });
    });

  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    dropSubscriptions: (code) => command('dropSubscriptions', code === undefined ? {} : { code }),
    appendSystemEvent: () => command('appendSystemEvent'),
    stats: () => command('stats'),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function waitForListening(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`EventStoreDB test double did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', (message: { type: string; port?: number; error?: string }) => {
      if (message.type === 'listening') {
        clearTimeout(timer);
        resolve(message.port as number);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`EventStoreDB test double failed to start: ${message.error}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`EventStoreDB test double exited before listening (code ${code})`));
    });
  });
}
