import { createPublicKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventStore } from '../shared/event-sourcing/event-store.port';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { CheckpointStore, SqliteCheckpointStore, StreamCheckpointStore } from './checkpoint-store';
import { publicKeyFromDataDir } from './signing-key';

/** The checkpoints of a log: the events.db tables beside an embedded log, else the checkpoint stream of the store. */
export function checkpointStoreFor(store: EventStore, dataDir: string | null): CheckpointStore {
  return store instanceof SqliteEventStore && dataDir
    ? new SqliteCheckpointStore(join(dataDir, 'events.db'))
    : new StreamCheckpointStore(store);
}

/** The public key to trust: a PEM file given explicitly, else DATA_DIR's key file, else none (the checkpoints' own key, reported as not pinned). */
export function trustedPublicKey(options: { publicKey?: string; dataDir?: string }): { key: KeyObject | undefined; source: string } {
  if (options.publicKey) return { key: createPublicKey(readFileSync(options.publicKey, 'utf8')), source: options.publicKey };
  const fromDir = options.dataDir ? publicKeyFromDataDir(options.dataDir) : null;
  if (fromDir) return { key: fromDir, source: 'the key file in DATA_DIR' };
  return { key: undefined, source: 'none given: the key inside the checkpoints (not pinned)' };
}
