import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * The embedded read store: one SQLite file beside the event log. Read models are rebuildable from
 * the log, so NORMAL durability is enough here; the checkpoint commits with the rows it covers.
 */
export function openReadDb(dataDir: string | null): Database.Database {
  let file = ':memory:';
  if (dataDir !== null) {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, 'read.db');
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS projection_checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL, updated_at TEXT NOT NULL)`);
  return db;
}

export const READ_DB = Symbol('READ_DB');
