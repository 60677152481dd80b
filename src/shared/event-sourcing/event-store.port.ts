import { Observable } from 'rxjs';

/**
 * The event-store port. Every adapter (SQLite embedded, in-memory, EventStoreDB) implements it and
 * passes the same contract suite (test/contract/event-store.contract.ts).
 */

/** `any`: no check; `no_stream`: the stream must not exist; `stream_exists`: it must; a number: its last revision must be exactly that. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface EventMetadata {
  actorId: string;
  actorRoles: string[];
  commandId: string;
  correlationId: string;
  causationId: string | null;
  policyVersion: number | null;
  schemaVersion: number;
  [extra: string]: unknown;
}

export interface NewEvent {
  /** Stable id; the adapter generates a UUID when absent. */
  eventId?: string;
  /** A stable, versioned contract name (never a class name that may be renamed). */
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  /** ISO-8601 UTC; the adapter uses the append time when absent. */
  occurredAt?: string;
}

export interface StoredEvent {
  eventId: string;
  type: string;
  streamId: string;
  /** 0-based position of the event inside its stream. */
  revision: number;
  /** Position in the global log; strictly increasing in commit order, starting at 1. */
  position: number;
  occurredAt: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  /** Hash of the previous event of the same stream, null for the first. */
  prevHash: string | null;
  /** SHA-256 (hex) over the canonical event including prevHash; see hash-chain.ts. */
  hash: string;
}

export interface AppendResult {
  /** Revision of the last appended event: the expected revision for the next append. */
  nextExpectedRevision: number;
  /** Global position of the last appended event. */
  position: number;
  events: StoredEvent[];
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive); default 0. */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Return events with a position strictly greater than this; default 0 (from the start). */
  after?: number;
  maxCount?: number;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Last revision of the stream, or -1 when it does not exist. */
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${actual === -1 ? 'no stream' : actual}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export interface EventStore {
  /** Atomically appends all events (or none) to one stream, checking the expected revision first. */
  append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream in revision order; an empty array when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** Events of every stream in global order. */
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  /**
   * The events at these global positions, once each, in global order; a position without an event is left
   * out. For indexes that keep positions instead of copies of events (e.g. the audit trail).
   */
  readPositions(positions: readonly number[]): Promise<StoredEvent[]>;
  /**
   * Every event after `after`, first the stored ones then live ones as they are appended, in global
   * order, never skipping or repeating one. Completes only when the store closes.
   */
  subscribeToAll(after?: number): Observable<StoredEvent>;
  /** Position of the newest event in the global log, 0 when empty. */
  headPosition(): Promise<number>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');

/**
 * The same log without the personal-data decorator (src/privacy/personal-data-event-store.ts): events exactly as
 * stored, personal fields as ciphertext envelopes. For what checks or exports hashes (the audit trail).
 */
export const RAW_EVENT_STORE = Symbol('RAW_EVENT_STORE');
