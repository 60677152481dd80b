import { KeyObject } from 'node:crypto';
import { EventStore, StoredEvent } from '../shared/event-sourcing/event-store.port';
import { computeEventHash } from '../event-store/domain/hash-chain';
import { checkCheckpoint, SignedCheckpoint } from './checkpoint';
import { CHECKPOINT_STREAM, CheckpointStore, CommittedHead } from './checkpoint-store';
import { compareHeads, merkleRoot, StreamHead } from './merkle';

/**
 * What can be wrong:
 * - altered: an event's content does not match its own hash (edited, not re-hashed);
 * - broken-link: prevHash is not the previous event's hash (an event removed, inserted or moved);
 * - revision-gap: revisions do not run 0, 1, 2, ... (an event removed or moved);
 * - rewritten: the chain is self-consistent but the event at the checkpointed head revision is not the one
 *   the signed checkpoint committed to (an edit re-hashed to the end, a re-hashed insertion or reordering);
 * - truncated: the stream ends before the revision the checkpoint committed to (events deleted at the end);
 * - stream-deleted: a stream the checkpoint committed to is gone;
 * - checkpoint: a checkpoint's signature, hash or link is wrong, or the stored heads no longer give its root.
 */
export type DamageKind = 'altered' | 'broken-link' | 'revision-gap' | 'rewritten' | 'truncated' | 'stream-deleted' | 'checkpoint';

export interface Damage {
  kind: DamageKind;
  streamId: string | null;
  revision: number | null;
  eventId: string | null;
  detail: string;
}

export interface CheckpointSummary {
  sequence: number;
  createdAt: string;
  headPosition: number;
  merkleRoot: string;
  keyId: string;
  checkpointHash: string;
}

export const summaryOf = (c: SignedCheckpoint): CheckpointSummary => ({
  sequence: c.sequence,
  createdAt: c.createdAt,
  headPosition: c.headPosition,
  merkleRoot: c.merkleRoot,
  keyId: c.keyId,
  checkpointHash: c.checkpointHash,
});

/** The latest checkpoint, checked: every checkpoint's signature and link, and the latest one's root over the stored heads. */
export interface CheckedCheckpoints {
  latest: SignedCheckpoint | null;
  heads: Map<string, StreamHead>;
  /** Every head any checkpoint committed to, per stream: locates a re-hashed edit between two of them. */
  committed: Map<string, CommittedHead[]>;
  checked: number;
  /** Problems with signatures, hashes and links (kept when checking incrementally). */
  chainDamages: Damage[];
  /** chainDamages, and the latest root's when the stored heads do not give it. */
  damages: Damage[];
}

const checkpointDamage = (detail: string): Damage => ({ kind: 'checkpoint', streamId: null, revision: null, eventId: null, detail });

/**
 * Checks the checkpoints. With `previous` (a result of this function for the same store), only the checkpoints
 * written since are read and checked, and their heads merged in: what the service does on every reload.
 * Without it, everything is read and checked again (verify-chains, /audit/verify's full re-check).
 */
export async function checkCheckpoints(
  checkpoints: CheckpointStore,
  trustedPublicKey?: KeyObject,
  previous?: CheckedCheckpoints,
): Promise<CheckedCheckpoints> {
  const from = previous?.latest ? previous.latest.sequence + 1 : 0;
  const fresh = await checkpoints.listFrom(from);
  if (previous && fresh.length === 0) return previous;
  const chainDamages = previous ? [...previous.chainDamages] : [];
  let prev = previous?.latest ?? null;
  fresh.forEach((c, i) => {
    for (const problem of checkCheckpoint(c, trustedPublicKey)) chainDamages.push(checkpointDamage(problem));
    if (c.sequence !== from + i)
      chainDamages.push(checkpointDamage(`checkpoint ${c.sequence} found where ${from + i} belongs (a checkpoint is missing)`));
    if (c.prevCheckpointHash !== (prev?.checkpointHash ?? null))
      chainDamages.push(checkpointDamage(`checkpoint ${c.sequence} does not link to the checkpoint before it`));
    prev = c;
  });
  const latest = fresh[fresh.length - 1] ?? previous?.latest ?? null;
  const heads = new Map(previous?.heads ?? []);
  const committed = new Map(previous?.committed ?? []);
  if (latest && fresh.length > 0) {
    for (const row of await checkpoints.committedHeadsBetween(from, latest.sequence)) {
      const head = { streamId: row.streamId, revision: row.revision, hash: row.hash };
      heads.set(row.streamId, head);
      committed.set(row.streamId, [...(committed.get(row.streamId) ?? []), { ...head, sequence: row.sequence }]);
    }
  }
  const damages = [...chainDamages];
  if (latest) {
    const root = merkleRoot([...heads.values()].sort(compareHeads));
    if (root !== latest.merkleRoot)
      damages.push(
        checkpointDamage(`the stored stream heads do not give checkpoint ${latest.sequence}'s signed Merkle root (the heads were altered)`),
      );
  }
  return { latest, heads, committed, checked: (previous?.checked ?? 0) + fresh.length, chainDamages, damages };
}

/** Follows one stream event by event (in the order the log gives them), keeping only its tail. */
class StreamCheck {
  private nextRevision = 0;
  private prevHash: string | null = null;
  private broken = false;
  private lastRevision = -1;
  /** Committed heads by revision; the newest (the latest checkpoint's) last. */
  private readonly byRevision = new Map<number, CommittedHead>();
  private readonly expected: CommittedHead | undefined;
  private lastMatched = -1;
  private rewritten: Damage | null = null;
  readonly damages: Damage[] = [];

  constructor(
    private readonly streamId: string,
    committed: readonly CommittedHead[] = [],
  ) {
    for (const head of committed) this.byRevision.set(head.revision, head);
    this.expected = committed[committed.length - 1];
  }

  add(e: StoredEvent): void {
    this.lastRevision = Math.max(this.lastRevision, e.revision);
    const committed = this.byRevision.get(e.revision);
    if (committed && !this.rewritten) {
      if (committed.hash === e.hash) this.lastMatched = Math.max(this.lastMatched, e.revision);
      else {
        this.rewritten = {
          kind: 'rewritten',
          streamId: this.streamId,
          revision: e.revision,
          eventId: e.eventId,
          detail:
            `revision ${e.revision} (event ${e.eventId}) is not the event signed checkpoint ${committed.sequence} committed to (hash ${committed.hash}): ` +
            `the stream was rewritten between revision ${this.lastMatched + 1} and ${e.revision}`,
        };
      }
    }
    if (this.broken) return;
    const at = { streamId: this.streamId, revision: e.revision, eventId: e.eventId };
    const damage: Damage | null =
      e.revision !== this.nextRevision
        ? {
            kind: 'revision-gap',
            ...at,
            detail: `expected revision ${this.nextRevision}, found ${e.revision} (an event is missing or out of place)`,
          }
        : e.prevHash !== this.prevHash
          ? {
              kind: 'broken-link',
              ...at,
              detail: "prevHash does not match the previous event's hash (an event was removed, inserted or moved)",
            }
          : computeEventHash(e) !== e.hash
            ? { kind: 'altered', ...at, detail: "the event's content does not match its hash (altered)" }
            : null;
    if (damage) {
      this.broken = true;
      this.damages.push(damage);
      return;
    }
    this.nextRevision = e.revision + 1;
    this.prevHash = e.hash;
  }

  finish(): Damage[] {
    const expected = this.expected;
    if (this.rewritten) this.damages.push(this.rewritten);
    if (!expected) return this.damages;
    const base = { streamId: this.streamId, revision: expected.revision };
    if (this.lastRevision < 0) {
      this.damages.push({
        kind: 'stream-deleted',
        ...base,
        eventId: null,
        detail: `the stream is gone; signed checkpoint ${expected.sequence} committed to ${expected.revision + 1} event(s)`,
      });
    } else if (this.lastRevision < expected.revision) {
      this.damages.push({
        kind: 'truncated',
        ...base,
        eventId: null,
        detail: `the stream ends at revision ${this.lastRevision}; signed checkpoint ${expected.sequence} committed to revision ${expected.revision} (hash ${expected.hash})`,
      });
    }
    return this.damages;
  }
}

/**
 * One stream's events against their chain and, when the signed checkpoint covers the stream, against the
 * head it committed to. Events after that head are chain-checked only.
 */
export function verifyStream(streamId: string, events: readonly StoredEvent[], committed: readonly CommittedHead[] | undefined): Damage[] {
  const check = new StreamCheck(streamId, committed);
  for (const e of events) check.add(e);
  return check.finish();
}

export interface LogVerification {
  valid: boolean;
  streams: number;
  events: number;
  checkpoint: CheckpointSummary | null;
  checkpointsChecked: number;
  /** Events after the latest checkpoint: chain-checked only. */
  eventsAfterCheckpoint: number;
  damages: Damage[];
}

const PAGE = 1000;

/** The whole log in one pass (memory grows with the number of streams, not events), then every checkpointed stream is accounted for. */
export async function verifyLog(
  store: EventStore,
  checkpoints: CheckpointStore,
  trustedPublicKey?: KeyObject,
  onProgress?: (position: number) => void,
): Promise<LogVerification> {
  const checked = await checkCheckpoints(checkpoints, trustedPublicKey);
  const streams = new Map<string, StreamCheck>();
  let events = 0;
  let eventsAfterCheckpoint = 0;
  let after = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: PAGE });
    if (page.length === 0) break;
    for (const e of page) {
      if (e.streamId === CHECKPOINT_STREAM) continue;
      events++;
      if (checked.latest && e.position > checked.latest.headPosition) eventsAfterCheckpoint++;
      let check = streams.get(e.streamId);
      if (!check) streams.set(e.streamId, (check = new StreamCheck(e.streamId, checked.committed.get(e.streamId))));
      check.add(e);
    }
    after = page[page.length - 1].position;
    onProgress?.(after);
  }
  const damages = [...checked.damages];
  for (const check of streams.values()) damages.push(...check.finish());
  for (const [streamId, heads] of checked.committed) if (!streams.has(streamId)) damages.push(...verifyStream(streamId, [], heads));
  return {
    valid: damages.length === 0,
    streams: streams.size,
    events,
    checkpoint: checked.latest ? summaryOf(checked.latest) : null,
    checkpointsChecked: checked.checked,
    eventsAfterCheckpoint,
    damages,
  };
}
