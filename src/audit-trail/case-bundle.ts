import { canonicalJson } from '../shared/canonical-json';
import { StoredEvent } from '../shared/event-sourcing/event-store.port';
import { SignedCheckpoint } from './checkpoint';
import { ProofStep, StreamHead } from './merkle';

export const BUNDLE_FORMAT = 'casetrail-case-bundle/1';

/** An event as the bundle carries it: exactly what its hash covers, and the hash (no store-specific position). */
export type BundleEvent = Omit<StoredEvent, 'position'>;

/**
 * A self-verifying case export (tools/verify-bundle.mjs checks it offline with Node alone): the stream's events,
 * the signed checkpoint covering them (with its public key), the head it committed to for the stream and the
 * Merkle inclusion proof from that head to the signed root. Written as canonical JSON on one line, so that
 * every byte of the file is checked (see the verifier).
 */
export interface CaseBundle {
  format: typeof BUNDLE_FORMAT;
  streamId: string;
  events: BundleEvent[];
  checkpoint: SignedCheckpoint | null;
  head: StreamHead | null;
  proof: ProofStep[];
}

export function buildCaseBundle(
  streamId: string,
  events: readonly StoredEvent[],
  covering: { checkpoint: SignedCheckpoint; head: StreamHead; proof: ProofStep[] } | null,
): CaseBundle {
  return {
    format: BUNDLE_FORMAT,
    streamId,
    events: events.map(({ position: _position, ...rest }) => rest),
    checkpoint: covering?.checkpoint ?? null,
    head: covering?.head ?? null,
    proof: covering?.proof ?? [],
  };
}

/** The bundle file's exact text. */
export const serializeBundle = (bundle: CaseBundle) => `${canonicalJson(bundle)}\n`;
