import { createHmac } from 'node:crypto';
import { MIN_PSEUDONYM_KEY_BYTES } from '../config/pseudonym-key';

/**
 * Stable pseudonyms for personal identifiers (issue 13 item 5, issue 17): a keyed HMAC-SHA-256 of the kind and
 * the id, cut to 20 base32 characters (100 bits) behind a readable prefix. The same key gives the same pseudonym
 * for the same id everywhere (exports, reports, lineage), so analysts can count and join; without the key an id
 * cannot be recovered or guessed by hashing candidates. Pure: the key comes from src/privacy/pseudonym-key.ts.
 */
export const PSEUDONYM_KINDS = ['customer', 'order'] as const;
export type PseudonymKind = (typeof PSEUDONYM_KINDS)[number];

export const PSEUDONYM_PREFIX: Record<PseudonymKind, string> = { customer: 'cus_', order: 'ord_' };

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const LENGTH = 20;

export function pseudonymOf(key: Buffer, kind: PseudonymKind, id: string): string {
  if (key.length < MIN_PSEUDONYM_KEY_BYTES) throw new Error(`the pseudonym key must be at least ${MIN_PSEUDONYM_KEY_BYTES} bytes`);
  // The kind is part of the message: a customer and an order with the same id get unrelated pseudonyms.
  const mac = createHmac('sha256', key).update(kind).update('\0').update(id).digest();
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of mac) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < LENGTH) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length === LENGTH) break;
  }
  return PSEUDONYM_PREFIX[kind] + out;
}

/** What analyst-facing code holds: pseudonyms under one key, memoised for the ids seen often (bounded). */
export class Pseudonymizer {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly key: Buffer,
    private readonly maxCached = 10_000,
  ) {
    if (key.length < MIN_PSEUDONYM_KEY_BYTES) throw new Error(`the pseudonym key must be at least ${MIN_PSEUDONYM_KEY_BYTES} bytes`);
  }

  of(kind: PseudonymKind, id: string): string;
  of(kind: PseudonymKind, id: string | null): string | null;
  of(kind: PseudonymKind, id: string | null): string | null {
    if (id === null) return null;
    const cacheKey = `${kind}\0${id}`;
    let value = this.cache.get(cacheKey);
    if (value === undefined) {
      value = pseudonymOf(this.key, kind, id);
      if (this.cache.size >= this.maxCached) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(cacheKey, value);
    }
    return value;
  }

  customer(id: string): string {
    return this.of('customer', id);
  }

  order(id: string): string {
    return this.of('order', id);
  }
}

export const PSEUDONYMIZER = Symbol('PSEUDONYMIZER');
