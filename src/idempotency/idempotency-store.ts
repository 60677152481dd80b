import { Kysely, sql } from 'kysely';
import { IdempotencySchema } from './idempotency.migrations';

export interface StoredResponse {
  fingerprint: string;
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * Remembers the first response to each (caller, Idempotency-Key), durably, so a retry after a restart gets
 * it again. Kept in the read store, which several instances share in production.
 */
export interface IdempotencyStore {
  find(scope: string, key: string): Promise<StoredResponse | null>;
  save(scope: string, key: string, response: StoredResponse): Promise<void>;
}

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

export class ReadStoreIdempotencyStore implements IdempotencyStore {
  constructor(private readonly db: Kysely<IdempotencySchema>) {}

  async find(scope: string, key: string): Promise<StoredResponse | null> {
    const row = await this.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) return null;
    return { fingerprint: row.fingerprint, statusCode: row.status_code, headers: JSON.parse(row.headers), body: JSON.parse(row.body) };
  }

  async save(scope: string, key: string, response: StoredResponse): Promise<void> {
    // First writer wins: a concurrent duplicate must not overwrite the response already handed out.
    await this.db
      .insertInto('idempotency_keys')
      .values({
        scope,
        key,
        fingerprint: response.fingerprint,
        status_code: response.statusCode,
        headers: JSON.stringify(response.headers),
        body: JSON.stringify(response.body),
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .execute();
  }
}

/**
 * Erasure (issue 13 item 5): forgets every remembered response whose body holds `value` as a JSON string (a
 * customer id): a retry of that request then runs again instead of replaying personal data. The number forgotten.
 */
export async function forgetResponsesMentioning(db: Kysely<IdempotencySchema>, value: string): Promise<number> {
  const pattern = `%${JSON.stringify(value).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const result = await db
    .deleteFrom('idempotency_keys')
    .where(sql<boolean>`body like ${pattern} escape '\\'`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
