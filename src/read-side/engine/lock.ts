import { createHash } from 'node:crypto';
import { Pool, PoolClient } from 'pg';

/** Who may run a projection: exactly one instance at a time across the deployment. */
export interface ProjectionLock {
  /** True when this instance now holds the lock for `name` (or already did). */
  tryAcquire(name: string): Promise<boolean>;
  /** False once a held lock was lost (e.g. its connection dropped). */
  holds(name: string): boolean;
  release(name: string): Promise<void>;
}

/**
 * Embedded mode: one machine, and the engine's checkpoint check already makes concurrent runners on one
 * SQLite file harmless, so the lock always grants.
 */
export class LocalProjectionLock implements ProjectionLock {
  async tryAcquire(): Promise<boolean> {
    return true;
  }
  holds(): boolean {
    return true;
  }
  async release(): Promise<void> {}
}

/**
 * PostgreSQL session advisory locks: held on a dedicated connection, released by PostgreSQL itself when the
 * holding instance dies, so another instance's next try (every second or so) takes over.
 * Advisory locks belong to the database, not to a schema: the key includes the connection's schema (unless it
 * is `public`, whose keys stay as they were), so deployments sharing one database in schemas of their own
 * (`?options=-c search_path=…`) never wait on each other's projections.
 */
export class PostgresAdvisoryLock implements ProjectionLock {
  private readonly held = new Map<string, { client: PoolClient; key: string }>();
  private schema: string | null = null;

  constructor(private readonly pool: Pool) {}

  async tryAcquire(name: string): Promise<boolean> {
    if (this.held.has(name)) return true;
    const client = await this.pool.connect();
    let key: string;
    try {
      this.schema ??= (await client.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0].schema;
      key = lockKey(name, this.schema);
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
      if (!rows[0].locked) {
        client.release();
        return false;
      }
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    client.on('error', (error) => {
      // The session died, and the lock with it: give the broken connection back (destroyed) and let the next
      // tryAcquire compete again. Keeping it checked out would also hold the pool open forever at shutdown.
      if (this.held.get(name)?.client !== client) return;
      this.held.delete(name);
      client.release(error);
    });
    this.held.set(name, { client, key });
    return true;
  }

  holds(name: string): boolean {
    return this.held.has(name);
  }

  async release(name: string): Promise<void> {
    const entry = this.held.get(name);
    if (!entry) return;
    this.held.delete(name);
    try {
      await entry.client.query('SELECT pg_advisory_unlock($1::bigint)', [entry.key]);
      entry.client.release();
    } catch (error) {
      entry.client.release(error as Error);
    }
  }
}

/** A stable signed 64-bit key per projection name (and schema, outside `public`). */
export function lockKey(name: string, schema = 'public'): string {
  const scope = schema === 'public' ? name : `${schema}:${name}`;
  return createHash('sha256').update(`casetrail:projection:${scope}`).digest().readBigInt64BE(0).toString();
}

/** The lock that fits the read store: advisory locks in PostgreSQL (shared by instances), local otherwise. */
export function lockFor(pool: Pool | null): ProjectionLock {
  return pool ? new PostgresAdvisoryLock(pool) : new LocalProjectionLock();
}
