import { randomBytes, randomUUID } from 'node:crypto';
import { unwrapKey, wrapKey } from './field-cipher';

/**
 * The per-customer data keys (issue 13 item 5). A subject (`ref`, the customer's pseudonym: no plaintext id is
 * a key) has at most one live key at a time; `destroy` deletes every key of the subject for good and leaves a
 * tombstone, so the subject stays known as erased (legacy plaintext events are then redacted on read). A new
 * dispute of the same customer after an erasure gets a new key. Keys are stored wrapped by the master key.
 * Adapters: SqlDataKeyStore (SQLite beside the embedded log, or PostgreSQL) and InMemoryDataKeyStore; one contract suite.
 */
export interface DataKey {
  kid: string;
  key: Buffer;
}

export interface DataKeyStore {
  /** The subject's live key, created when it has none. */
  getOrCreate(ref: string): Promise<DataKey>;
  /** The keys by id; a destroyed or unknown id maps to null. */
  get(kids: readonly string[]): Promise<Map<string, Buffer | null>>;
  /** Which of these subjects have been erased. */
  erased(refs: readonly string[]): Promise<Set<string>>;
  /** Destroys every key of the subject and records it as erased; the number of keys destroyed. */
  destroy(ref: string, at: string): Promise<number>;
}

export const DATA_KEY_STORE = Symbol('DATA_KEY_STORE');

/** A fresh key for a subject, wrapped for storage. */
export function newWrappedKey(master: Buffer, ref: string): { kid: string; key: Buffer; wrapped: string } {
  const kid = randomUUID();
  const key = randomBytes(32);
  return { kid, key, wrapped: wrapKey(master, kid, ref, key) };
}

interface Row {
  kid: string;
  ref: string;
  wrapped: string | null;
  destroyedAt: string | null;
}

/** For tests and tools: the same rules in memory (keys wrapped all the same). */
export class InMemoryDataKeyStore implements DataKeyStore {
  private readonly rows = new Map<string, Row>();

  constructor(private readonly master: Buffer) {}

  async getOrCreate(ref: string): Promise<DataKey> {
    const live = [...this.rows.values()].find((r) => r.ref === ref && r.wrapped !== null);
    if (live) return { kid: live.kid, key: unwrapKey(this.master, live.kid, ref, live.wrapped!) };
    const { kid, key, wrapped } = newWrappedKey(this.master, ref);
    this.rows.set(kid, { kid, ref, wrapped, destroyedAt: null });
    return { kid, key };
  }

  async get(kids: readonly string[]): Promise<Map<string, Buffer | null>> {
    const out = new Map<string, Buffer | null>();
    for (const kid of kids) {
      const row = this.rows.get(kid);
      out.set(kid, row?.wrapped ? unwrapKey(this.master, kid, row.ref, row.wrapped) : null);
    }
    return out;
  }

  async erased(refs: readonly string[]): Promise<Set<string>> {
    const wanted = new Set(refs);
    return new Set([...this.rows.values()].filter((r) => r.destroyedAt !== null && wanted.has(r.ref)).map((r) => r.ref));
  }

  async destroy(ref: string, at: string): Promise<number> {
    let destroyed = 0;
    for (const row of this.rows.values()) {
      if (row.ref !== ref || row.wrapped === null) continue;
      row.wrapped = null;
      row.destroyedAt = at;
      destroyed++;
    }
    const tombstone = `erased-${randomUUID()}`;
    this.rows.set(tombstone, { kid: tombstone, ref, wrapped: null, destroyedAt: at });
    return destroyed;
  }
}
