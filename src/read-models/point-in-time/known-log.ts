import { Observable, throwError } from 'rxjs';
import { AppendResult, EventStore, ReadAllOptions, ReadStreamOptions, StoredEvent } from '../../shared/event-sourcing/event-store.port';

/** When the log recorded an event: `metadata.recordedAt` when an adapter or upcaster set one, else its stored time. */
export const recordedAtOf = (e: StoredEvent): string => (typeof e.metadata.recordedAt === 'string' ? e.metadata.recordedAt : e.occurredAt);

const PAGE = 1000;

/**
 * The log as it was known at `asKnownAt`: a read-only view that leaves out every event recorded later. What a
 * point-in-time computation replays (the same projections and evolve functions as the live read side).
 */
export class KnownLog implements EventStore {
  constructor(
    private readonly log: EventStore,
    readonly asKnownAt: string,
  ) {}

  private known = (e: StoredEvent) => recordedAtOf(e) <= this.asKnownAt;

  append(): Promise<AppendResult> {
    return Promise.reject(new Error('the log as known at a past time is read-only'));
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return (await this.log.readStream(streamId, options)).filter(this.known);
  }

  /** Pages of known events; reads on past unknown ones so that an empty answer always means the end. */
  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let after = options.after ?? 0;
    const out: StoredEvent[] = [];
    while (out.length < max) {
      const page = await this.log.readAll({ after, maxCount: Math.min(PAGE, max - out.length) });
      if (page.length === 0) break;
      out.push(...page.filter(this.known));
      after = page[page.length - 1].position;
    }
    return out;
  }

  async readPositions(positions: readonly number[]): Promise<StoredEvent[]> {
    return (await this.log.readPositions(positions)).filter(this.known);
  }

  subscribeToAll(): Observable<StoredEvent> {
    return throwError(() => new Error('the log as known at a past time has no live events'));
  }

  headPosition(): Promise<number> {
    return this.log.headPosition();
  }

  async close(): Promise<void> {
    // The underlying log belongs to the caller.
  }
}
