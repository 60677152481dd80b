import { StoredEvent } from '../../shared/event-sourcing/event-store.port';

/** The target holds, at a source event's stream and revision, something else than that event. */
export class CopyConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyConflictError';
  }
}

/** An event read back from the target is not identical to its source (the hash chain would differ). */
export class CopyMismatchError extends Error {
  constructor(
    message: string,
    readonly source: StoredEvent,
    readonly target: StoredEvent,
  ) {
    super(message);
    this.name = 'CopyMismatchError';
  }
}

/** The source cannot be copied as is (an altered event, an id EventStoreDB would not keep...). */
export class UncopyableSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UncopyableSourceError';
  }
}
