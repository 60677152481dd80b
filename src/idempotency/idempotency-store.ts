import Database from 'better-sqlite3';

export interface StoredResponse {
  fingerprint: string;
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * Remembers the first response to each (caller, Idempotency-Key), durably, so a retry after a restart gets
 * it again. Kept in the read store: with several instances that store is shared.
 */
export interface IdempotencyStore {
  find(scope: string, key: string): Promise<StoredResponse | null>;
  save(scope: string, key: string, response: StoredResponse): Promise<void>;
}

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

export class SqliteIdempotencyStore implements IdempotencyStore {
  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      scope TEXT NOT NULL,
      key TEXT NOT NULL,
      fingerprint TEXT NOT NULL,
      status_code INTEGER NOT NULL,
      headers TEXT NOT NULL,
      body TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (scope, key)
    )`);
  }

  async find(scope: string, key: string): Promise<StoredResponse | null> {
    const row = this.db.prepare('SELECT * FROM idempotency_keys WHERE scope = ? AND key = ?').get(scope, key) as
      | { fingerprint: string; status_code: number; headers: string; body: string }
      | undefined;
    if (!row) return null;
    return { fingerprint: row.fingerprint, statusCode: row.status_code, headers: JSON.parse(row.headers), body: JSON.parse(row.body) };
  }

  async save(scope: string, key: string, response: StoredResponse): Promise<void> {
    // First writer wins: a concurrent duplicate must not overwrite the response already handed out.
    this.db
      .prepare(
        `INSERT INTO idempotency_keys (scope, key, fingerprint, status_code, headers, body, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(scope, key) DO NOTHING`,
      )
      .run(scope, key, response.fingerprint, response.statusCode, JSON.stringify(response.headers), JSON.stringify(response.body), new Date().toISOString());
  }
}
