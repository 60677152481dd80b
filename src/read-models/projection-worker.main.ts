import { serveProjectionWorker } from '../read-side/engine/worker/worker-runtime';
import { readModelCatalog } from './registry';

/** The projection worker thread's entry (dist/read-models/projection-worker.main.js): the engine's worker, fed these read models. */
serveProjectionWorker(readModelCatalog());
