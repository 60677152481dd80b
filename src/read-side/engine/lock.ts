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
 */
export class PostgresAdvisoryLock implements ProjectionLock {
  private readonly held = new Map<string, PoolClient>();

  constructor(private readonly pool: Pool) {}

  async tryAcquire(name: string): Promise<boolean> {
    if (this.held.has(name)) return true;
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [lockKey(name)]);
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
      if (this.held.get(name) !== client) return;
      this.held.delete(name);
      client.release(error);
    });
    this.held.set(name, client);
    return true;
  }

  holds(name: string): boolean {
    return this.held.has(name);
  }

  async release(name: string): Promise<void> {
    const client = this.held.get(name);
    if (!client) return;
    this.held.delete(name);
    try {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey(name)]);
      client.release();
    } catch (error) {
      client.release(error as Error);
    }
  }
}

/** A stable signed 64-bit key per projection name. */
function lockKey(name: string): string {
  return createHash('sha256').update(`casetrail:projection:${name}`).digest().readBigInt64BE(0).toString();
}

/** The lock that fits the read store: advisory locks in PostgreSQL (shared by instances), local otherwise. */
export function lockFor(pool: Pool | null): ProjectionLock {
  return pool ? new PostgresAdvisoryLock(pool) : new LocalProjectionLock();
}
