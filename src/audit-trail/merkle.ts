import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json';

/**
 * A Merkle tree over stream heads (RFC 6962 style domain separation: 0x00 before a leaf, 0x01 before a node;
 * an odd node at the end of a level is carried up unchanged). Leaves are sorted by streamId, so the root
 * depends only on the set of heads. tools/verify-bundle.mjs repeats these rules: keep them in step.
 */
export interface StreamHead {
  streamId: string;
  /** Revision of the stream's newest event when the checkpoint was taken. */
  revision: number;
  /** That event's hash. */
  hash: string;
}

export interface ProofStep {
  /** Where the sibling sits: L = hash(sibling, current), R = hash(current, sibling). */
  side: 'L' | 'R';
  hash: string;
}

const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

export function leafHash(head: StreamHead): Buffer {
  return sha256(Buffer.from([0]), Buffer.from(canonicalJson([head.streamId, head.revision, head.hash]), 'utf8'));
}

const nodeHash = (left: Buffer, right: Buffer) => sha256(Buffer.from([1]), left, right);
const HASH_BYTES = 32;

export const compareHeads = (a: StreamHead, b: StreamHead) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0);

/**
 * Builds the tree over heads already sorted by streamId, level by level in place in one buffer of 32 bytes per
 * leaf (with a million streams, a Buffer per node and an array per level cost ≈ 10× that), calling `visit` with
 * each level below the root before it is folded; returns the root.
 */
function foldTree(sortedHeads: readonly StreamHead[], visit: (node: (i: number) => Buffer, width: number) => void): Buffer {
  if (sortedHeads.length === 0) return sha256();
  const nodes = Buffer.allocUnsafe(sortedHeads.length * HASH_BYTES);
  sortedHeads.forEach((head, i) => leafHash(head).copy(nodes, i * HASH_BYTES));
  const node = (i: number) => nodes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES);
  // Node i of the next level is written over slot i, which is never ahead of the two it is read from (2i, 2i+1).
  for (let width = sortedHeads.length; width > 1; width = Math.ceil(width / 2)) {
    visit(node, width);
    for (let i = 0; i < width; i += 2) {
      if (i + 1 < width) nodeHash(node(i), node(i + 1)).copy(nodes, (i / 2) * HASH_BYTES);
      else node(i).copy(nodes, (i / 2) * HASH_BYTES); // an odd node out goes up as it is
    }
  }
  return Buffer.from(node(0));
}

/** The root over heads already sorted by streamId (hex); the hash of nothing for none. */
export function merkleRoot(sortedHeads: readonly StreamHead[]): string {
  return foldTree(sortedHeads, () => undefined).toString('hex');
}

/** The path from leaf `index` to the root. */
export function inclusionProof(sortedHeads: readonly StreamHead[], index: number): ProofStep[] {
  const proof: ProofStep[] = [];
  let i = index;
  foldTree(sortedHeads, (node, width) => {
    const sibling = i ^ 1;
    if (sibling < width) proof.push({ side: i % 2 === 0 ? 'R' : 'L', hash: node(sibling).toString('hex') });
    i = Math.floor(i / 2);
  });
  return proof;
}

export function rootFromProof(head: StreamHead, proof: readonly ProofStep[]): string {
  let current = leafHash(head);
  for (const step of proof) {
    const sibling = Buffer.from(step.hash, 'hex');
    current = step.side === 'L' ? nodeHash(sibling, current) : nodeHash(current, sibling);
  }
  return current.toString('hex');
}
