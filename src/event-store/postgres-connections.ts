import { Pool, PoolClient } from 'pg';
import { headsOf, StreamHeads } from './postgres-event-log';
import { PreparedAppend } from './sqlite-event-writer';

/** How the PostgreSQL stores live with connections the server drops (restart, failover, administrator). */

/**
 * The server ended the connection (administrator command, crash, shutdown; SQLSTATE class 57P) or the socket
 * closed under it. A pooled connection the server dropped while idle fails its next query this way when the
 * pool has not yet noticed. Whether such a statement ran is unknown, so only what is safe to run twice (a read)
 * is repeated on another connection.
 */
export function isDroppedConnection(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && /^57P0[1-3]$/.test(code)) return true;
  return typeof message === 'string' && /Connection terminated|not queryable|ECONNRESET|EPIPE/.test(message);
}

/** Runs `attempt` again when it failed on a dropped connection, at most `retries` times (e.g. once per pooled connection). */
export async function retryDropped<T>(retries: number, attempt: () => Promise<T>): Promise<T> {
  for (let failures = 0; ; failures++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isDroppedConnection(error) || failures >= retries) throw error;
    }
  }
}

/**
 * A pooled connection and the batch's stream heads read on it. A connection the server dropped while it was
 * idle fails that read (nothing was written yet) and is discarded; the read is repeated on another, at most
 * `retries` times, so a restart or failover does not fail the appends queued at that moment.
 */
export function connectReadingHeads(
  pool: Pool,
  retries: number,
  batch: readonly PreparedAppend[],
): Promise<{ client: PoolClient; heads: StreamHeads }> {
  return retryDropped(retries, async () => {
    const client = await pool.connect();
    try {
      return { client, heads: await headsOf(client, batch) };
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  });
}
