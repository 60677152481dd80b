import { serveProjectionWorker } from '../read-side/engine/worker/worker-runtime';
import { personalDataLog } from '../privacy/protect-log';
import { readModelCatalog } from './registry';

/**
 * The projection worker thread's entry (dist/read-models/projection-worker.main.js): the engine's worker, fed
 * these read models, reading the log with personal fields decrypted (or erased) like the request thread.
 */
serveProjectionWorker(readModelCatalog(), personalDataLog);
