import { createHash } from 'node:crypto';
import { EventStoreDBClient, jsonEvent, NO_STREAM } from '@eventstore/db-client';
import { prng } from '../../../src/shared/prng';
import { EventStore, NewEvent, StoredEvent } from '../../../src/shared/event-sourcing/event-store.port';

/** A UUID v4-shaped id from the PRNG (lowercase, as EventStoreDB returns ids). */
function uuid(random: () => number): string {
  const hex = createHash('sha256').update(String(random())).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const TYPES = [
  'dispute-filed-v1',
  'dispute-acknowledged-v1',
  'evidence-attached-v1',
  'offer-made-v1',
  'offer-rejected-v1',
  'escalated-to-mediation-v1',
  'compensation-paid-v1',
  'dispute-closed-v1',
];

/** Dispute-ish events with the JSON shapes that must survive the trip: nesting, unicode, decimals, nulls, empty containers. */
function eventFor(random: () => number, streamIndex: number, revision: number): NewEvent {
  const type = revision === 0 ? TYPES[0] : TYPES[1 + Math.floor(random() * (TYPES.length - 1))];
  const day = 1 + Math.floor(random() * 28);
  return {
    eventId: uuid(random),
    type,
    occurredAt: new Date(
      Date.UTC(2026, 10, day, Math.floor(random() * 24), Math.floor(random() * 60), 0, Math.floor(random() * 1000)),
    ).toISOString(),
    data: {
      disputeId: `d-${streamIndex}`,
      amount: { currency: 'EUR', minor: Math.floor(random() * 100000) },
      ratio: Math.round(random() * 1000) / 1000,
      note: random() < 0.2 ? 'Wasserkocher leckt — «remboursement» 返金 🫖' : null,
      tags: random() < 0.5 ? [] : ['priority', { nested: [1, 2.5, true, null] }],
      empty: {},
      revision,
    },
    metadata: {
      actorId: `user-${Math.floor(random() * 50)}`,
      actorRoles: random() < 0.5 ? ['agent'] : ['supervisor', 'agent'],
      commandId: uuid(random),
      correlationId: `corr-${streamIndex}`,
      causationId: revision === 0 ? null : `cmd-${streamIndex}-${revision - 1}`,
      policyVersion: random() < 0.5 ? 3 : null,
      schemaVersion: 1,
      ...(random() < 0.1 ? { idempotencyKey: `key-${streamIndex}-${revision}` } : {}),
    },
  };
}

/**
 * Appends `events` events to `store` over `streams` streams: rounds of concurrent appends (so the SQLite
 * store group-commits them and streams interleave in the global log), each append 1 to 4 events.
 */
export async function buildLog(
  store: EventStore,
  options: { events: number; streams: number; seed?: number; prefix?: string },
): Promise<void> {
  const random = prng(options.seed ?? 42);
  const prefix = options.prefix ?? 'dispute';
  const next = new Array<number>(options.streams).fill(0); // next revision per stream
  let written = 0;
  while (written < options.events) {
    const appends: Array<Promise<unknown>> = [];
    const picked = new Set<number>();
    for (let i = 0; i < 64 && written < options.events; i++) {
      const s = Math.floor(random() * options.streams);
      if (picked.has(s)) continue; // one append per stream per round: expected revisions stay exact
      picked.add(s);
      const count = Math.min(1 + Math.floor(random() * 4), options.events - written);
      const events = Array.from({ length: count }, (_, k) => eventFor(random, s, next[s] + k));
      appends.push(store.append(`${prefix}-${s}`, events, next[s] === 0 ? 'no_stream' : next[s] - 1));
      next[s] += count;
      written += count;
    }
    await Promise.all(appends);
  }
}

/** Every event of a store in global order (for assertions on small and medium logs). */
export async function readEverything(store: EventStore, page = 1000): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for (;;) {
    const events = await store.readAll({ after: all.at(-1)?.position ?? 0, maxCount: page });
    all.push(...events);
    if (events.length < page) return all;
  }
}

export const withoutPosition = ({ position: _position, ...rest }: StoredEvent) => rest;

/** Writes an event straight into EventStoreDB with the Casetrail envelope, around the adapter (to forge or reorder). */
export async function writeRaw(client: EventStoreDBClient, event: Omit<StoredEvent, 'position'>): Promise<void> {
  await client.appendToStream(
    event.streamId,
    jsonEvent({
      id: event.eventId,
      type: event.type,
      data: event.data,
      metadata: { occurredAt: event.occurredAt, prevHash: event.prevHash, hash: event.hash, metadata: event.metadata },
    }),
    { expectedRevision: event.revision === 0 ? NO_STREAM : BigInt(event.revision - 1) },
  );
}
