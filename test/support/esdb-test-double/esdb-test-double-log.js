'use strict';
const { randomUUID } = require('node:crypto');

/**
 * TEST DOUBLE of EventStoreDB's storage, in memory: NOT EventStoreDB. It models only what the
 * Casetrail adapter relies on, as EventStoreDB documents it:
 *  - expected revision: any / no_stream / stream_exists / an exact revision (last revision of the stream);
 *  - $all positions: commit == prepare, strictly increasing, sparse like byte offsets in a log file
 *    (so nothing may assume dense positions), with `$`-prefixed system events in $all like a real node;
 *  - stream reads carry the $all position of each event (EventStoreDB ≥ 22.6 does so for events not
 *    written in explicit transactions; older servers return 2^64-1 instead).
 * Not modelled: deletes/tombstones, stream metadata ($maxAge, $maxCount), idempotent re-appends of the same
 * event ids, links and projections, explicit transactions, authentication.
 */

/** @typedef {{ id: string, streamId: string, revision: number, position: number, type: string, contentType: string, data: Buffer, customMetadata: Buffer, created: bigint }} StoredRecord */

class WrongExpectedVersion extends Error {
  constructor(streamId, expected, current) {
    super(`WrongExpectedVersion on ${streamId}: expected ${String(expected)}, current ${current}`);
    this.streamId = streamId;
    this.expected = expected; // 'any' | 'no_stream' | 'stream_exists' | bigint
    this.current = current; // -1 for no stream
  }
}

class InMemoryLog {
  constructor() {
    /** @type {StoredRecord[]} */
    this.all = [];
    /** @type {Map<string, StoredRecord[]>} */
    this.streams = new Map();
    this.nextPosition = 128; // a real log starts with a header and an epoch record, not at 0
    this.listeners = new Set();
    // A real $all begins with system events; readers must filter them out.
    this.appendSystemEvent('$settings', '$settings');
    this.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
  }

  lastRevision(streamId) {
    const stream = this.streams.get(streamId);
    return stream ? stream.length - 1 : -1;
  }

  /**
   * Checks the expected revision and appends atomically; returns the stored records.
   * @param {'any'|'no_stream'|'stream_exists'|bigint} expected
   * @param {Array<{ id: string, type: string, contentType: string, data: Buffer, customMetadata: Buffer }>} events
   */
  append(streamId, expected, events) {
    const current = this.lastRevision(streamId);
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && current === -1) ||
      (expected === 'stream_exists' && current !== -1) ||
      (typeof expected === 'bigint' && BigInt(current) === expected);
    if (!ok) throw new WrongExpectedVersion(streamId, expected, current);
    const stream = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, stream);
    const created = BigInt(Date.now()) * 10000n; // .NET ticks since the Unix epoch, as the server sends them
    const stored = events.map((event) => {
      const record = { ...event, streamId, revision: stream.length, position: this.nextPosition, created };
      // Advance like a byte offset: record header plus payload.
      this.nextPosition += 64 + streamId.length + event.type.length + event.data.length + event.customMetadata.length;
      stream.push(record);
      this.all.push(record);
      return record;
    });
    for (const listener of this.listeners) listener(stored);
    return stored;
  }

  appendSystemEvent(streamId = '$stats-127.0.0.1:2113', type = '$statsCollected') {
    const data = Buffer.from(JSON.stringify({ at: new Date().toISOString() }));
    return this.append(streamId, 'any', [{ id: randomUUID(), type, contentType: 'application/json', data, customMetadata: Buffer.alloc(0) }])[0];
  }

  /** Index of the first record with position >= `position` (binary search: positions increase). */
  indexAtOrAfter(position) {
    let lo = 0;
    let hi = this.all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.all[mid].position < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Calls `listener(records)` after every append, until the returned function is called. */
  onAppend(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Server-side filter from ReadReq.Options.FilterOptions: on event type or stream name, by regex or prefixes.
 * Returns null when the request has no filter.
 */
function toPredicate(filterOptions) {
  if (!filterOptions) return null;
  const onType = filterOptions.hasEventType();
  const expression = onType ? filterOptions.getEventType() : filterOptions.getStreamIdentifier();
  const regex = expression.getRegex();
  const prefixes = expression.getPrefixList();
  const matches = regex
    ? (value) => new RegExp(regex).test(value)
    : (value) => prefixes.some((prefix) => value.startsWith(prefix));
  return (record) => matches(onType ? record.type : record.streamId);
}

module.exports = { InMemoryLog, WrongExpectedVersion, toPredicate };
