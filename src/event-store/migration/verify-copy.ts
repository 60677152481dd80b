import { EventStore, StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { computeEventHash } from '../domain/hash-chain';
import { CopiedField, describeEvent, describeFieldDifferences, differingFields } from './compare-events';

export interface VerifyCopyOptions {
  /** Events read per page; default 500. */
  batchSize?: number;
  /** Differences kept in the report (all are counted); default 50. */
  maxDifferences?: number;
  /** Called after every page of each pass. */
  onProgress?: (progress: { pass: 'target' | 'source'; events: number }) => void;
}

export type CopyDifference =
  /** In the source, not in the target. */
  | { kind: 'missing'; streamId: string; revision: number; eventId: string; message: string }
  /** In the target, not in the source. */
  | { kind: 'extra'; streamId: string; revision: number; eventId: string; message: string }
  /** Same stream and revision, different content. */
  | { kind: 'field'; streamId: string; revision: number; eventId: string; fields: CopiedField[]; message: string }
  /** The target's $all has this event before one that precedes it in the source's log. */
  | { kind: 'order'; streamId: string; revision: number; eventId: string; message: string }
  /** The event does not chain: wrong revision sequence, prevHash, or a hash that does not match its content. */
  | { kind: 'chain'; store: 'source' | 'target'; streamId: string; revision: number; eventId: string; message: string };

export interface VerifyReport {
  ok: boolean;
  sourceEvents: number;
  targetEvents: number;
  /** Target events identical to their source event. */
  identical: number;
  /** Differences found, per kind (all of them, also those beyond maxDifferences). */
  counts: Record<CopyDifference['kind'], number>;
  /** The first `maxDifferences` differences, in the order found. */
  differences: CopyDifference[];
  elapsedMs: number;
}

/**
 * Checks a copy made by copyLog, streaming both logs page by page:
 *  1. the target's $all, in order: each event against the source event of the same stream and revision
 *     (every field but the position), its chain link (revision sequence, prevHash, hash over its content),
 *     and that the source positions of the target's events only increase (global order preserved);
 *  2. the source's $all: each event's chain link, and that the target has it.
 * Memory: a page plus one entry per stream (its last revision and hash), never the log.
 */
export async function verifyCopy(source: EventStore, target: EventStore, options: VerifyCopyOptions = {}): Promise<VerifyReport> {
  const batchSize = options.batchSize ?? 500;
  const maxDifferences = options.maxDifferences ?? 50;
  const started = Date.now();
  const report: VerifyReport = {
    ok: false,
    sourceEvents: 0,
    targetEvents: 0,
    identical: 0,
    counts: { missing: 0, extra: 0, field: 0, order: 0, chain: 0 },
    differences: [],
    elapsedMs: 0,
  };
  const record = (difference: CopyDifference) => {
    report.counts[difference.kind]++;
    if (report.differences.length < maxDifferences) report.differences.push(difference);
  };

  // Pass 1: the target, in its global order.
  const targetChains = new ChainTracker('target', record);
  let lastSourcePosition = 0;
  let lastInOrder: StoredEvent | null = null;
  for await (const page of pages(target, batchSize)) {
    for (const copy of page) {
      report.targetEvents++;
      targetChains.check(copy);
      const [original] = await source.readStream(copy.streamId, { fromRevision: copy.revision, maxCount: 1 });
      if (!original) {
        record({ ...key(copy), kind: 'extra', message: `${describeEvent(copy)} is in the target, not in the source` });
        continue;
      }
      const fields = differingFields(original, copy);
      if (fields.length > 0) {
        record({
          ...key(copy),
          kind: 'field',
          fields,
          message: `${describeEvent(original)}: ${describeFieldDifferences(original, copy, fields)}`,
        });
      } else {
        report.identical++;
      }
      if (original.position <= lastSourcePosition) {
        record({
          ...key(copy),
          kind: 'order',
          message:
            `${describeEvent(copy)} comes after ${lastInOrder ? describeEvent(lastInOrder) : '?'} in the target's $all, ` +
            'but before it in the source log',
        });
      } else {
        lastSourcePosition = original.position;
        lastInOrder = copy;
      }
    }
    options.onProgress?.({ pass: 'target', events: report.targetEvents });
  }

  // Pass 2: the source, in its global order.
  const sourceChains = new ChainTracker('source', record);
  for await (const page of pages(source, batchSize)) {
    for (const original of page) {
      report.sourceEvents++;
      sourceChains.check(original);
      if (targetChains.lastRevision(original.streamId) < original.revision) {
        record({ ...key(original), kind: 'missing', message: `${describeEvent(original)} is in the source, not in the target` });
      }
    }
    options.onProgress?.({ pass: 'source', events: report.sourceEvents });
  }

  report.ok = Object.values(report.counts).every((n) => n === 0) && report.sourceEvents === report.targetEvents;
  report.elapsedMs = Date.now() - started;
  return report;
}

const key = (event: StoredEvent) => ({ streamId: event.streamId, revision: event.revision, eventId: event.eventId });

async function* pages(store: EventStore, batchSize: number): AsyncGenerator<StoredEvent[]> {
  let after = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: batchSize });
    if (page.length > 0) yield page;
    if (page.length < batchSize) return;
    after = page[page.length - 1].position;
  }
}

/** Follows every stream's chain through a log read in global order (a stream's events come in revision order). */
class ChainTracker {
  private readonly last = new Map<string, { revision: number; hash: string }>();

  constructor(
    private readonly store: 'source' | 'target',
    private readonly record: (difference: CopyDifference) => void,
  ) {}

  lastRevision(streamId: string): number {
    return this.last.get(streamId)?.revision ?? -1;
  }

  check(event: StoredEvent): void {
    const previous = this.last.get(event.streamId);
    const problems: string[] = [];
    const expectedRevision = previous ? previous.revision + 1 : 0;
    if (event.revision !== expectedRevision) problems.push(`revision ${event.revision} follows ${expectedRevision - 1}`);
    if (event.prevHash !== (previous?.hash ?? null)) problems.push('prevHash is not the previous event’s hash');
    if (computeEventHash(event) !== event.hash) problems.push('hash does not match the event’s content');
    if (problems.length > 0) {
      this.record({
        kind: 'chain',
        store: this.store,
        ...key(event),
        message: `${this.store} ${describeEvent(event)}: ${problems.join(', ')}`,
      });
    }
    this.last.set(event.streamId, { revision: event.revision, hash: event.hash });
  }
}
