import { EventStore } from '../shared/event-sourcing/event-store.port';
import { CheckpointBody, SignedCheckpoint, signCheckpoint } from './checkpoint';
import { CHECKPOINT_STREAM, CheckpointStore } from './checkpoint-store';
import { compareHeads, merkleRoot, StreamHead } from './merkle';
import { AuditSigningKey } from './signing-key';

const PAGE = 1000;

/**
 * Writes the next signed checkpoint. It starts from the heads of the latest stored checkpoint (never from a
 * re-read of the old log, so a checkpoint never launders an edit of what an earlier one covers) and reads
 * only the events after its headPosition. Nothing new since the latest: no checkpoint. A log with no
 * checkpoint yet gets a first one over everything there is (an empty log none).
 */
export class Checkpointer {
  private cached: { sequence: number; heads: Map<string, StreamHead>; position: number } | null = null;
  private running: Promise<SignedCheckpoint | null> | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly key: AuditSigningKey,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** One at a time; a call while one runs shares its outcome. */
  checkpoint(): Promise<SignedCheckpoint | null> {
    return (this.running ??= this.checkpointOnce().finally(() => (this.running = null)));
  }

  private async checkpointOnce(): Promise<SignedCheckpoint | null> {
    const latest = await this.checkpoints.latest();
    if (!latest) this.cached = { sequence: -1, heads: new Map(), position: 0 };
    else if (this.cached?.sequence !== latest.sequence) {
      this.cached = { sequence: latest.sequence, heads: await this.checkpoints.heads(latest.sequence), position: latest.headPosition };
    }
    // The latest checkpoint's heads are changed in place only once this one is stored: no second map of every stream.
    const heads = this.cached!.heads;
    const changed = new Map<string, StreamHead>();
    let position = this.cached!.position;
    for (;;) {
      const page = await this.store.readAll({ after: position, maxCount: PAGE });
      if (page.length === 0) break;
      for (const e of page) {
        if (e.streamId === CHECKPOINT_STREAM) continue;
        changed.set(e.streamId, { streamId: e.streamId, revision: e.revision, hash: e.hash });
      }
      position = page[page.length - 1].position;
    }
    if (changed.size === 0) return null; // nothing new (or an empty log): nothing to sign
    const sorted = [...changed.values()];
    for (const [streamId, head] of heads) if (!changed.has(streamId)) sorted.push(head);
    sorted.sort(compareHeads);
    const body: CheckpointBody = {
      version: 1,
      sequence: (latest?.sequence ?? -1) + 1,
      createdAt: this.now().toISOString(),
      prevCheckpointHash: latest?.checkpointHash ?? null,
      headPosition: position,
      streams: sorted.length,
      events: sorted.reduce((sum, h) => sum + h.revision + 1, 0),
      merkleRoot: merkleRoot(sorted),
      keyId: this.key.keyId,
    };
    const signed = signCheckpoint(body, this.key.privateKey);
    const delta = [...changed.values()].sort(compareHeads);
    if (!(await this.checkpoints.append(signed, delta))) {
      this.cached = null; // another instance wrote this sequence first: theirs stands
      return null;
    }
    if (heads.size === 0)
      this.cached = { sequence: signed.sequence, heads: changed, position }; // the first one
    else {
      for (const [streamId, head] of changed) heads.set(streamId, head);
      this.cached = { sequence: signed.sequence, heads, position };
    }
    return signed;
  }
}
