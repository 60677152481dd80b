import { Position as EsdbPosition, RecordedEvent } from '@eventstore/db-client';
import { EventMetadata, ExpectedRevision, StoredEvent } from '../shared/event-sourcing/event-store.port';

/** How EventStoreDB's recorded events map to the port's stored events (see eventstoredb-event-store.ts). */

/**
 * What travels in the EventStoreDB event metadata (JSON) besides the data: our metadata and the
 * hash-chain fields. The revision and the global position are EventStoreDB's own; the eventId is the
 * EventStoreDB event id. `$correlationId`/`$causationId` are EventStoreDB's conventions (its
 * $by_correlation_id projection reads them).
 */
export interface Envelope {
  occurredAt: string;
  prevHash: string | null;
  hash: string;
  metadata: EventMetadata;
  $correlationId?: string;
  $causationId?: string;
}

export function satisfies(expected: ExpectedRevision, actual: number): boolean {
  return (
    expected === 'any' ||
    (expected === 'no_stream' && actual === -1) ||
    (expected === 'stream_exists' && actual !== -1) ||
    expected === actual
  );
}

export const isSystemEvent = (event: RecordedEvent) => event.type.startsWith('$') || event.streamId.startsWith('$');

export function positionOf(event: RecordedEvent): number {
  const commit = event.position?.commit;
  if (commit === undefined || commit > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Error(
      `event ${event.id} in ${event.streamId} has no usable $all position (${String(commit)}); ` +
        'stream reads carry positions from EventStoreDB 22.6 on',
    );
  }
  return Number(commit);
}

export const toEsdbPosition = (position: number): EsdbPosition => ({ commit: BigInt(position), prepare: BigInt(position) });

export function envelopeOf(event: RecordedEvent): Envelope {
  const envelope = event.metadata as Partial<Envelope> | undefined;
  if (!event.isJson || typeof envelope?.hash !== 'string' || typeof envelope.occurredAt !== 'string' || !envelope.metadata) {
    // Someone wrote around this adapter: there is no hash chain to continue or to report.
    throw new Error(`event ${event.id} in ${event.streamId} was not written by the Casetrail event store`);
  }
  return envelope as Envelope;
}

export function toStoredEvent(event: RecordedEvent): StoredEvent {
  const envelope = envelopeOf(event);
  return {
    eventId: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: positionOf(event),
    occurredAt: envelope.occurredAt,
    data: event.data as Record<string, unknown>,
    metadata: envelope.metadata,
    prevHash: envelope.prevHash ?? null,
    hash: envelope.hash,
  };
}

export const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
