import { Observable } from 'rxjs';
import { ExpectedRevision, StoredEvent, WrongExpectedRevisionError } from '../../shared/event-sourcing/event-store.port';

/** Throws WrongExpectedRevisionError unless `actual` (-1: no stream) satisfies `expected`. */
export function checkExpectedRevision(streamId: string, expected: ExpectedRevision, actual: number): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && actual === -1) ||
    (expected === 'stream_exists' && actual !== -1) ||
    expected === actual;
  if (!ok) throw new WrongExpectedRevisionError(streamId, expected, actual);
}

export const TAIL_PAGE_SIZE = 500;

/** What a local log offers a tailing subscription: pages after a position, and a registry of wake-ups. */
export interface TailSource {
  isClosed(): boolean;
  readPage(after: number, maxCount: number): StoredEvent[];
  register(handle: { wake(): void; complete(): void }): () => void;
  /** Also wake on a timer (writes by other processes on a shared file). */
  pollIntervalMs?: number;
}

/**
 * Every event after `after`, stored then live: a cursor reads pages on each wake-up, never re-entrant,
 * yielding to the event loop between pages. With dense, commit-ordered positions `position > cursor`
 * never skips nor repeats an event.
 */
export function tailLog(source: TailSource, after: number): Observable<StoredEvent> {
  return new Observable<StoredEvent>((subscriber) => {
    if (source.isClosed()) return subscriber.complete();
    let cursor = after;
    let scheduled = false;
    const run = () => {
      scheduled = false;
      if (subscriber.closed || source.isClosed()) return;
      let page: StoredEvent[];
      try {
        page = source.readPage(cursor, TAIL_PAGE_SIZE);
      } catch (error) {
        return subscriber.error(error);
      }
      for (const event of page) {
        if (subscriber.closed) return;
        cursor = event.position;
        subscriber.next(event);
      }
      if (page.length === TAIL_PAGE_SIZE) wake(); // more stored events
    };
    const wake = () => {
      if (scheduled || subscriber.closed) return;
      scheduled = true;
      setImmediate(run);
    };
    const unregister = source.register({ wake, complete: () => subscriber.complete() });
    const timer = source.pollIntervalMs ? setInterval(wake, source.pollIntervalMs) : null;
    timer?.unref();
    wake();
    return () => {
      if (timer) clearInterval(timer);
      unregister();
    };
  });
}
