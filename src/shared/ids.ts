import { createHash, randomUUID } from 'node:crypto';

/** A UUID-shaped id derived from another, so a retried command regenerates the same ids. */
export function derivedId(seed: string, purpose: string): string {
  const hex = createHash('sha256').update(`${purpose}:${seed}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const newCommandId = () => randomUUID();
