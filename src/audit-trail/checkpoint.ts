import { createHash, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json';

/**
 * A checkpoint of the whole log: what is signed. It commits to the previous checkpoint (its hash) and to
 * every stream head at `headPosition` (the Merkle root of merkle.ts), so rewriting, truncating or deleting
 * anything it covers changes a head or the root, and the Ed25519 signature no longer matches.
 */
export interface CheckpointBody {
  version: 1;
  /** 0, 1, 2, ... with no gap. */
  sequence: number;
  createdAt: string;
  /** checkpointHash of checkpoint sequence - 1, null for the first. */
  prevCheckpointHash: string | null;
  /** Global log position covered (store-specific: a copied log gets checkpoints of its own). */
  headPosition: number;
  streams: number;
  events: number;
  merkleRoot: string;
  /** First 16 hex digits of SHA-256 over the public key (SPKI DER). */
  keyId: string;
}

export interface SignedCheckpoint extends CheckpointBody {
  /** SHA-256 (hex) over the canonical JSON of the body. */
  checkpointHash: string;
  /** Ed25519 over the canonical JSON of the body (base64). */
  signature: string;
  /** The signer's public key (SPKI PEM): to be checked against a key obtained out of band. */
  publicKey: string;
}

export function bodyOf(c: CheckpointBody): CheckpointBody {
  const { version, sequence, createdAt, prevCheckpointHash, headPosition, streams, events, merkleRoot, keyId } = c;
  return { version, sequence, createdAt, prevCheckpointHash, headPosition, streams, events, merkleRoot, keyId };
}

export const canonicalBody = (c: CheckpointBody) => Buffer.from(canonicalJson(bodyOf(c)), 'utf8');

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export function signCheckpoint(body: CheckpointBody, privateKey: KeyObject): SignedCheckpoint {
  const bytes = canonicalBody(body);
  const publicKey = createPublicKey(privateKey);
  return {
    ...bodyOf(body),
    checkpointHash: createHash('sha256').update(bytes).digest('hex'),
    signature: sign(null, bytes, privateKey).toString('base64'),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Problems with one checkpoint on its own: hash, signature, and (when given) the trusted key. Empty when sound. */
export function checkCheckpoint(c: SignedCheckpoint, trustedPublicKey?: KeyObject): string[] {
  const problems: string[] = [];
  const bytes = canonicalBody(c);
  if (createHash('sha256').update(bytes).digest('hex') !== c.checkpointHash)
    problems.push(`checkpoint ${c.sequence}: its hash does not match its content`);
  let key: KeyObject;
  try {
    key = trustedPublicKey ?? createPublicKey(c.publicKey);
  } catch {
    problems.push(`checkpoint ${c.sequence}: unreadable public key`);
    return problems;
  }
  if (keyIdOf(key) !== c.keyId) problems.push(`checkpoint ${c.sequence}: signed with key ${c.keyId}, not the trusted key ${keyIdOf(key)}`);
  let ok = false;
  try {
    ok = verify(null, bytes, key, Buffer.from(c.signature, 'base64'));
  } catch {
    ok = false;
  }
  if (!ok) problems.push(`checkpoint ${c.sequence}: the Ed25519 signature does not verify`);
  return problems;
}
