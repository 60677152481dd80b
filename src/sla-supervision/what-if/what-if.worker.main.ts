import { parentPort, workerData } from 'node:worker_threads';
import { AppConfig } from '../../config/app-config';
import { createEventStore } from '../../event-store/event-store.module';
import { personalDataLog } from '../../privacy/protect-log';
import { connectReadStore } from '../../read-side/store/read-store';
import { WhatIfFromWorker } from './what-if-protocol';
import { replayWhatIf, WhatIfJob } from './what-if-replay';

/**
 * One what-if replay in a worker thread of its own: its own read-only connections to the log and the read
 * store, the replay, one message back. The request thread enforces the time budget and a client's disconnect by
 * terminating the thread, so nothing here needs to watch the clock.
 */
const { config, job } = workerData as { config: AppConfig; job: WhatIfJob };
const post = (message: WhatIfFromWorker) => parentPort!.postMessage(message);

async function main(): Promise<void> {
  const readStore = connectReadStore(config);
  // As the request thread's EVENT_STORE reads it: personal fields decrypted or erased (never envelopes).
  const log = personalDataLog(createEventStore(config, { writerThread: false }), config);
  try {
    const report = await replayWhatIf({ log, db: readStore.db }, job, {
      onProgress: throttled((done, total) => post({ kind: 'progress', done, total })),
    });
    post({ kind: 'result', report });
  } finally {
    await readStore.close().catch(() => undefined);
    await log.close().catch(() => undefined);
  }
}

/** Progress at most every 100 ms (the request thread only keeps it for the over-budget message). */
function throttled(fn: (done: number, total: number) => void): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (now - last < 100 && done < total) return;
    last = now;
    fn(done, total);
  };
}

main().catch((error: Error) => post({ kind: 'failure', name: error.name, message: error.message }));
