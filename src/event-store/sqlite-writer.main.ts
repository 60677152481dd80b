import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SqliteEventWriter } from './sqlite-event-writer';
import { WriterRequest, WriterThreadOptions } from './sqlite-writer-thread';

/**
 * The SQLite log's writer thread: its own connection, one batch transaction per request. The commit (and
 * with synchronous=FULL its fsync) happens here, so the request thread keeps serving while it waits.
 */
const port = parentPort!;
const { file, synchronous, busyTimeoutMs } = workerData as WriterThreadOptions;
const db = new Database(file);
db.pragma(`busy_timeout = ${busyTimeoutMs}`);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${synchronous}`);
const writer = new SqliteEventWriter(db);

port.on('message', (request: WriterRequest) => {
  if (request.kind === 'write') return port.postMessage({ id: request.id, outcome: writer.writeBatch(request.batch) });
  if (request.kind === 'probe') return port.postMessage({ id: request.id, outcome: writer.probe() });
  db.close();
  port.postMessage({ id: request.id, outcome: null });
  port.close();
});
