import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EventStore, RAW_EVENT_STORE, StoredEvent } from '../shared/event-sourcing/event-store.port';
import { EventStoreLifecycle } from '../event-store/event-store-lifecycle';
import { SignedCheckpoint } from './checkpoint';
import { CheckpointStore, SqliteCheckpointStore, StreamCheckpointStore } from './checkpoint-store';
import { Checkpointer } from './checkpointer';
import { compareHeads, inclusionProof, StreamHead } from './merkle';
import { AuditSigningKey, loadSigningKey } from './signing-key';
import { CheckedCheckpoints, checkCheckpoints, CheckpointSummary, Damage, summaryOf, verifyStream } from './verify-log';

export interface StreamIntegrity {
  valid: boolean;
  damages: Damage[];
  /** The signed checkpoint the stream was checked against; null when there is none yet (chain only). */
  checkpoint: CheckpointSummary | null;
  /** The revision that checkpoint committed to for this stream; null when it does not cover the stream. */
  coveredRevision: number | null;
  /** Events after coveredRevision: chain-checked only. */
  eventsAfterCheckpoint: number;
  checkedAt: string;
}

interface Ledger {
  loadedAt: number;
  checked: CheckedCheckpoints;
  /** The latest checkpoint's heads, sorted (for inclusion proofs), and each stream's index. */
  sorted: StreamHead[];
  index: Map<string, number>;
}

/**
 * Signed checkpoints for the running service: a first one over the existing log at start, then one every
 * AUDIT_CHECKPOINT_INTERVAL_MS when the log grew, and a last one on shutdown before the store closes.
 * Several instances may run it: the checkpoint store's compare-and-set lets exactly one write each sequence.
 * Reads ask `integrity()`: one stream checked against the latest checkpoint, cached per stream head.
 */
@Injectable()
export class AuditTrailService implements OnApplicationBootstrap {
  private readonly logger = new Logger('AuditTrail');
  readonly key: AuditSigningKey;
  readonly checkpoints: CheckpointStore;
  private readonly checkpointer: Checkpointer;
  private timer: NodeJS.Timeout | null = null;
  private ledger: Ledger | null = null;
  private readonly cache = new Map<string, { revision: number; hash: string; sequence: number; result: StreamIntegrity }>();
  lastCheckpoint: { sequence: number; createdAt: string; checkpointHash: string } | null = null;
  lastCheckpointError: { at: string; error: string } | null = null;
  lastVerification: { at: string; streamId: string; valid: boolean } | null = null;
  lastFailure: { at: string; streamId: string; kinds: string[] } | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RAW_EVENT_STORE) private readonly store: EventStore,
    lifecycle: EventStoreLifecycle,
  ) {
    this.key = loadSigningKey({ signingKey: config.audit.signingKey, dataDir: config.dataDir });
    this.checkpoints =
      config.eventStore === 'embedded' ? new SqliteCheckpointStore(join(config.dataDir, 'events.db')) : new StreamCheckpointStore(store);
    this.checkpointer = new Checkpointer(store, this.checkpoints, this.key);
    lifecycle.beforeClose(() => this.stop());
  }

  get publicKeyPem(): string {
    return this.key.publicKeyPem;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.key.source === 'generated')
      this.logger.warn(`generated an audit signing key in ${this.config.dataDir} (set AUDIT_SIGNING_KEY in production)`);
    await this.checkpoint(); // an existing log without checkpoints gets its first one now
    const every = this.config.audit.checkpointIntervalMs;
    if (every > 0) {
      this.timer = setInterval(() => void this.checkpoint(), every);
      this.timer.unref();
    }
  }

  /** Writes a checkpoint when the log grew; never throws (a failed checkpoint is logged and shown in /health). */
  async checkpoint(): Promise<SignedCheckpoint | null> {
    try {
      const written = await this.checkpointer.checkpoint();
      if (written) {
        this.lastCheckpoint = { sequence: written.sequence, createdAt: written.createdAt, checkpointHash: written.checkpointHash };
        this.lastCheckpointError = null;
        if (this.ledger) this.ledger.loadedAt = 0; // picked up, incrementally, by the next read
      } else if (!this.lastCheckpoint) {
        const latest = await this.checkpoints.latest();
        if (latest) this.lastCheckpoint = { sequence: latest.sequence, createdAt: latest.createdAt, checkpointHash: latest.checkpointHash };
      }
      return written;
    } catch (error) {
      this.lastCheckpointError = { at: new Date().toISOString(), error: (error as Error).message };
      this.logger.error(`audit checkpoint failed: ${(error as Error).message}`);
      return null;
    }
  }

  /** The last checkpoint on shutdown, while the store is still open; then the checkpoint store closes. */
  private async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.checkpoint();
    await this.checkpoints.close();
  }

  /** Every checkpoint, oldest first. */
  list(): Promise<SignedCheckpoint[]> {
    return this.checkpoints.list();
  }

  /** Looks for checkpoints written since the ledger was loaded (here or by another instance) now. */
  async refreshLedger(): Promise<void> {
    if (this.ledger) this.ledger.loadedAt = 0;
    await this.currentLedger();
  }

  /**
   * The latest checkpoint with its signature, chain and root checked (against this service's key). After
   * AUDIT_INTEGRITY_CACHE_MS it looks for newer checkpoints and checks only those (verify-chains re-checks all).
   */
  async currentLedger(): Promise<Ledger> {
    const previous = this.ledger;
    if (previous && Date.now() - previous.loadedAt < this.config.audit.integrityCacheMs) return previous;
    const checked = await checkCheckpoints(this.checkpoints, this.key.publicKey, previous?.checked);
    if (previous && checked === previous.checked) {
      previous.loadedAt = Date.now();
      return previous;
    }
    const sorted = [...checked.heads.values()].sort(compareHeads);
    const ledger = { loadedAt: Date.now(), checked, sorted, index: new Map(sorted.map((h, i) => [h.streamId, i])) };
    this.cache.clear();
    this.ledger = ledger;
    return ledger;
  }

  /** The stream as stored (personal fields as ciphertext, as hashed) against its chain and the latest checkpoint. */
  async verifyStored(streamId: string): Promise<StreamIntegrity> {
    return this.verifyEvents(streamId, await this.store.readStream(streamId));
  }

  /** One stream's events against their chain and the latest signed checkpoint. */
  async verifyEvents(streamId: string, events: readonly StoredEvent[]): Promise<StreamIntegrity> {
    const ledger = await this.currentLedger();
    const committed = ledger.checked.committed.get(streamId);
    const damages = [...ledger.checked.damages, ...verifyStream(streamId, events, committed)];
    const covered = ledger.checked.heads.get(streamId)?.revision ?? null;
    const result: StreamIntegrity = {
      valid: damages.length === 0,
      damages,
      checkpoint: ledger.checked.latest ? summaryOf(ledger.checked.latest) : null,
      coveredRevision: covered,
      eventsAfterCheckpoint: events.filter((e) => covered === null || e.revision > covered).length,
      checkedAt: new Date().toISOString(),
    };
    this.lastVerification = { at: result.checkedAt, streamId, valid: result.valid };
    if (!result.valid) this.lastFailure = { at: result.checkedAt, streamId, kinds: [...new Set(damages.map((d) => d.kind))] };
    return result;
  }

  /**
   * For reads: the stream's integrity, cached per stream head and checkpoint. A cache hit costs one read of
   * the newest event; `events`: the stream, when the caller has read it already.
   */
  async integrity(streamId: string, events?: readonly StoredEvent[]): Promise<StreamIntegrity> {
    const ledger = await this.currentLedger();
    const sequence = ledger.checked.latest?.sequence ?? -1;
    const cached = this.cache.get(streamId);
    if (cached && cached.sequence === sequence) {
      const tail = events ? events.slice(-1) : await this.store.readStream(streamId, { fromRevision: cached.revision, maxCount: 2 });
      if (tail.length === 1 && tail[0].revision === cached.revision && tail[0].hash === cached.hash) return cached.result;
    }
    // Always the stored events: what a caller read through EVENT_STORE has its personal fields decrypted.
    const all = await this.store.readStream(streamId);
    const result = await this.verifyEvents(streamId, all);
    const last = all[all.length - 1];
    if (last) this.cache.set(streamId, { revision: last.revision, hash: last.hash, sequence, result });
    return result;
  }

  /** The latest checkpoint's head for a stream and the inclusion proof from it to the signed root; null when not covered. */
  async inclusion(
    streamId: string,
  ): Promise<{ checkpoint: SignedCheckpoint; head: StreamHead; proof: ReturnType<typeof inclusionProof> } | null> {
    const ledger = await this.currentLedger();
    const index = ledger.index.get(streamId);
    if (!ledger.checked.latest || index === undefined) return null;
    return { checkpoint: ledger.checked.latest, head: ledger.sorted[index], proof: inclusionProof(ledger.sorted, index) };
  }

  health() {
    return {
      keyId: this.key.keyId,
      checkpointStore: this.checkpoints.kind,
      checkpointIntervalMs: this.config.audit.checkpointIntervalMs,
      lastCheckpoint: this.lastCheckpoint,
      lastCheckpointError: this.lastCheckpointError,
      lastVerification: this.lastVerification,
      lastFailure: this.lastFailure,
    };
  }
}
