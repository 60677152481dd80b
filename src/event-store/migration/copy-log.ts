import { EventStore, ExpectedRevision, StoredEvent, WrongExpectedRevisionError } from '../../shared/event-sourcing/event-store.port';
import { computeEventHash } from '../domain/hash-chain';
import { describeEvent, describeFieldDifferences, differingFields } from './compare-events';

export { verifyCopy } from './verify-copy';
export { CopyConflictError, CopyMismatchError, UncopyableSourceError } from './copy-errors';
import { CopyConflictError, CopyMismatchError, UncopyableSourceError } from './copy-errors';
export type { VerifyCopyOptions, VerifyReport, CopyDifference } from './verify-copy';

/**
 * Copies the embedded event log into EventStoreDB (issue #5): same streams, revisions, event ids,
 * occurredAt, data, metadata, and the same hash chain, appended in the source's global order.
 *
 * How it stays correct when interrupted and run again:
 *  - Events are appended strictly one append at a time, in source order, each append atomic. So at any
 *    moment the target holds a prefix of the source log (in the same order), whether the last append was
 *    acknowledged or the process died while it was in flight.
 *  - A run starts by bisecting the source for the end of that prefix (O(log n) lookups in the target).
 *  - Every append carries expected revision = the source revision - 1 (`no_stream` for revision 0): a
 *    stream can never receive an event twice nor out of order. When the target already has the revision,
 *    the event there must be the same one (same eventId and hash) and is skipped; anything else stops the
 *    copy with a CopyConflictError.
 *  - The adapter recomputes every hash from the copied content; each one is compared with the source's
 *    (CopyMismatchError on the first difference).
 *
 * Memory: one page of `batchSize` source events at a time.
 */
export interface CopyLogOptions {
  /** The embedded log (SqliteEventStore). */
  source: EventStore;
  /** The EventStoreDB adapter (EventStoreDbEventStore). Should hold nothing but copied events. */
  target: EventStore;
  /** Source events read per page, and the most events per append; default 500. */
  batchSize?: number;
  /** Called after the start and after every append. Throwing from it stops the copy (the error propagates). */
  onProgress?: (progress: CopyProgress) => void;
  /** Aborting stops the copy between two appends with a CopyInterruptedError. */
  signal?: AbortSignal;
  /**
   * Ignore the bisected resume point and check every source event against the target (each append
   * that finds its events already there verifies and skips them). Slower; for a target whose history is
   * in doubt. Default false.
   */
  scanFromStart?: boolean;
}

export interface CopyProgress {
  /** Source events in the log when the copy started. */
  total: number;
  /** Source events known to be in the target: already there at the start, skipped, or copied by this run. */
  done: number;
  /** Events appended by this run. */
  copied: number;
  /** Events this run found already in the target (besides the resumed prefix) and skipped. */
  skipped: number;
  /** Events found in the target at the start (the resumed prefix). */
  alreadyPresent: number;
  /** Appends made by this run. */
  appends: number;
  /** Source position reached (every source event at or before it is in the target). */
  sourcePosition: number;
  elapsedMs: number;
}

export type CopyLogResult = CopyProgress & {
  /** Source position the run resumed after (0: from the start). */
  resumedAfter: number;
};

/** The copy was aborted through its signal; everything appended so far stays and a new run resumes. */
export class CopyInterruptedError extends Error {
  constructor(readonly progress: CopyProgress) {
    super(
      `copy interrupted after ${progress.done}/${progress.total} events (source position ${progress.sourcePosition}); run it again to resume`,
    );
    this.name = 'CopyInterruptedError';
  }
}

const DEFAULT_BATCH = 500;
/** EventStoreDB refuses appends above MaxAppendSize (1 MiB by default); stay well below it. */
const MAX_APPEND_BYTES = 768 * 1024;
/** EventStoreDB keeps event ids as GUIDs and returns them lowercase: anything else would not read back the same. */
const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function copyLog(options: CopyLogOptions): Promise<CopyLogResult> {
  const { source, target, onProgress, signal } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const started = Date.now();

  const resumedAfter = options.scanFromStart ? 0 : await findResumePoint(source, target);
  const { total, upTo: alreadyPresent } = await countSource(source, batchSize, resumedAfter);

  const progress: CopyProgress = {
    total,
    done: alreadyPresent,
    copied: 0,
    skipped: 0,
    alreadyPresent,
    appends: 0,
    sourcePosition: resumedAfter,
    elapsedMs: 0,
  };
  const report = () => {
    progress.elapsedMs = Date.now() - started;
    onProgress?.({ ...progress });
  };
  const checkAborted = () => {
    if (signal?.aborted) throw new CopyInterruptedError({ ...progress, elapsedMs: Date.now() - started });
  };
  report();

  let cursor = resumedAfter;
  for (;;) {
    checkAborted();
    const page = await source.readAll({ after: cursor, maxCount: batchSize });
    if (page.length === 0) break;
    for (const run of runsOf(page, batchSize)) {
      checkAborted();
      const outcome = await copyRun(target, run);
      progress.copied += outcome.copied;
      progress.skipped += outcome.skipped;
      progress.done += run.length;
      if (outcome.copied > 0) progress.appends++;
      progress.sourcePosition = run[run.length - 1].position;
      report();
    }
    cursor = page[page.length - 1].position;
    if (page.length < batchSize) break;
  }
  progress.elapsedMs = Date.now() - started;
  return { ...progress, resumedAfter };
}

/**
 * The source position up to which the target already holds the log: the position of the newest source
 * event found in the target, by bisection over source positions. Relies on the target holding a prefix
 * of the source (what copyLog guarantees); the expected-revision checks of the copy catch the rest.
 */
async function findResumePoint(source: EventStore, target: EventStore): Promise<number> {
  if ((await target.headPosition()) === 0) return 0;
  let lo = 0; // every source event at or before lo is in the target
  let hi = (await source.headPosition()) + 1; // the source event at hi (if any) is not
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const [event] = await source.readAll({ after: mid - 1, maxCount: 1 });
    if (!event || event.position >= hi) {
      hi = mid; // no source event in [mid, hi)
    } else if (await isInTarget(target, event)) {
      lo = event.position;
    } else {
      hi = event.position;
    }
  }
  return lo;
}

async function isInTarget(target: EventStore, event: StoredEvent): Promise<boolean> {
  const [there] = await target.readStream(event.streamId, { fromRevision: event.revision, maxCount: 1 });
  if (!there) return false;
  if (there.eventId !== event.eventId) {
    throw new CopyConflictError(
      `the target holds ${describeEvent(there)} where the source has ${describeEvent(event)}: ` +
        'it was not written by this copy; refusing to mix logs',
    );
  }
  return true;
}

/** Source events in total, and those at or before `upTo`. One pass over the source, page by page. */
async function countSource(source: EventStore, batchSize: number, upTo: number): Promise<{ total: number; upTo: number }> {
  let total = 0;
  let before = 0;
  let after = 0;
  for (;;) {
    const page = await source.readAll({ after, maxCount: batchSize });
    total += page.length;
    for (const event of page) if (event.position <= upTo) before++;
    if (page.length < batchSize) break;
    after = page[page.length - 1].position;
  }
  return { total, upTo: before };
}

/**
 * Consecutive events of one stream in global order, as one append (at most `maxEvents` events and about
 * MAX_APPEND_BYTES). Appending them together keeps their relative order in the target's $all.
 */
function* runsOf(page: StoredEvent[], maxEvents: number): Generator<StoredEvent[]> {
  let run: StoredEvent[] = [];
  let bytes = 0;
  for (const event of page) {
    const size = JSON.stringify(event.data).length + JSON.stringify(event.metadata).length + 512;
    const sameStream = run.length > 0 && run[0].streamId === event.streamId && event.revision === run[run.length - 1].revision + 1;
    if (run.length > 0 && (!sameStream || run.length >= maxEvents || bytes + size > MAX_APPEND_BYTES)) {
      yield run;
      run = [];
      bytes = 0;
    }
    run.push(event);
    bytes += size;
  }
  if (run.length > 0) yield run;
}

/** Appends one run (or what the target lacks of it) and checks what the target stored. */
async function copyRun(target: EventStore, run: StoredEvent[]): Promise<{ copied: number; skipped: number }> {
  for (const event of run) checkCopyable(event);
  let pending = run;
  let skipped = 0;
  for (let attempt = 0; pending.length > 0; attempt++) {
    const expected: ExpectedRevision = pending[0].revision === 0 ? 'no_stream' : pending[0].revision - 1;
    try {
      const result = await target.append(
        pending[0].streamId,
        pending.map((event) => ({
          eventId: event.eventId,
          type: event.type,
          data: event.data,
          metadata: event.metadata,
          occurredAt: event.occurredAt,
        })),
        expected,
      );
      pending.forEach((event, i) => checkIdentical(event, result.events[i], 'appended'));
      return { copied: pending.length, skipped };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt > 0) throw error;
      if (error.actual < pending[0].revision - 1) {
        throw new CopyConflictError(
          `${describeEvent(pending[0])}: the target stream ends at revision ${error.actual}, so earlier events of ` +
            'it are missing there (the target does not hold a prefix of the source); run verify-only to see what differs',
        );
      }
      // The target already has some (or all) of these revisions: they must be these very events.
      const there = await target.readStream(pending[0].streamId, { fromRevision: pending[0].revision, maxCount: pending.length });
      there.forEach((stored, i) => checkIdentical(pending[i], stored, 'already in the target'));
      skipped += there.length;
      pending = pending.slice(there.length);
    }
  }
  return { copied: 0, skipped };
}

/** Refuses, before writing anything, a source event that would not arrive identical. */
function checkCopyable(event: StoredEvent): void {
  if (computeEventHash(event) !== event.hash) {
    throw new UncopyableSourceError(
      `source event ${describeEvent(event)} does not match its own hash: the embedded log was altered; ` +
        'nothing after it was copied (run verify-only for the full list)',
    );
  }
  if (!EVENT_ID.test(event.eventId)) {
    throw new UncopyableSourceError(
      `source event ${describeEvent(event)}: EventStoreDB keeps event ids as lowercase UUIDs, this one would not read back identical`,
    );
  }
  if (event.streamId.startsWith('$') || event.type.startsWith('$')) {
    throw new UncopyableSourceError(`source event ${describeEvent(event)}: '$' names are EventStoreDB system streams and types`);
  }
}

function checkIdentical(source: StoredEvent, target: StoredEvent | undefined, what: string): void {
  if (!target) throw new CopyMismatchError(`${describeEvent(source)} ${what}: not read back from the target`, source, source);
  const fields = differingFields(source, target);
  if (fields.length > 0) {
    throw new CopyMismatchError(
      `${describeEvent(source)} ${what} differs from the source (${describeFieldDifferences(source, target, fields)}); ` +
        'the copy stopped here',
      source,
      target,
    );
  }
}
