'use strict';
/**
 * `npm run build && node bench/export.js [--rows 1000000] [--format ndjson|csv|parquet]` (issue 17): the event log
 * export of N events from a SQLite read store, through the same code as GET /api/v1/exports/events, into a
 * consumer that discards the bytes. Prints rows/s, MB/s and the RSS after warm-up and at its peak: memory must
 * not grow with N. The store is filled straight through better-sqlite3 (test/support/export-volume.ts does the same).
 */
const { mkdtempSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { tmpdir } = require('node:os');
const { Writable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const Database = require('better-sqlite3');

const dist = (path) => require(join(__dirname, '..', 'dist', path));
const { openSqliteReadStore } = dist('read-side/store/read-store');
const { migrateReadStore } = dist('read-side/store/migrations');
const { PROJECTIONS } = dist('read-models/registry');
const { eventsDataset } = dist('read-models/exports/log-datasets');
const { formatRows } = dist('read-models/exports/export-format');
const { Pseudonymizer } = dist('privacy/pseudonym');
const { openSqliteEventStore } = dist('event-store/sqlite-event-store');

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const ROWS = Number(option('rows', 1_000_000));
const FORMAT = option('format', 'ndjson');
const MB = 1024 * 1024;

/** As test/support/export-volume.ts: the log (events.db) and the audit read model's index of it (read.db). */
async function fill(dir, rows) {
  await openSqliteEventStore(dir, { writerThread: false }).close(); // the log's schema
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  const log = new Database(join(dir, 'events.db'));
  const read = new Database(join(dir, 'read.db'));
  for (const db of [log, read]) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
  }
  const insertEvent = log.prepare(
    'INSERT INTO events (position, event_id, stream_id, revision, type, occurred_at, data, metadata, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertAudit = read.prepare(
    'INSERT INTO audit_events (position, event_id, stream_id, revision, type, actor_id, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const each = (write) => {
    for (let position = 1; position <= rows; position++) {
      const disputeId = `d-${Math.ceil(position / 10)}`;
      write(position, disputeId, `dispute-${disputeId}`, (position - 1) % 10, new Date(start + position * 1000).toISOString());
    }
  };
  log.transaction(() =>
    each((position, disputeId, stream, revision, occurredAt) => {
      const data = { disputeId, at: occurredAt, customerId: `cust-${position % 997}`, note: 'call me on 555-0100', action: 'offer' };
      const metadata = { actorId: 'agent-1', actorRoles: ['agent'], commandId: `c-${position}`, correlationId: 'x', causationId: null };
      insertEvent.run(position, `e-${position}`, stream, revision, 'DisputeNegotiated', occurredAt, JSON.stringify(data), JSON.stringify(metadata), revision === 0 ? null : 'h', 'h');
    }),
  )();
  read.transaction(() =>
    each((position, _disputeId, stream, revision, occurredAt) =>
      insertAudit.run(position, `e-${position}`, stream, revision, 'DisputeNegotiated', 'agent-1', occurredAt),
    ),
  )();
  log.close();
  read.close();
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-bench-export-'));
  const store = openSqliteReadStore(dir);
  try {
    await migrateReadStore(store.db, PROJECTIONS());
    let started = Date.now();
    await fill(dir, ROWS);
    const fillSeconds = (Date.now() - started) / 1000;
    const log = openSqliteEventStore(dir, { writerThread: false });
    const ctx = { db: store.db, log, pseudonyms: new Pseudonymizer(Buffer.alloc(32, 7)) };
    let bytes = 0;
    let lines = 0;
    let baseline = 0;
    let peak = 0;
    // Rows pulled from the source (every format; Parquet has no lines): the warm-up ends at 50,000.
    let pulled = 0;
    async function* counted(rows) {
      for await (const row of rows) {
        pulled++;
        yield row;
      }
    }
    const sink = new Writable({
      write(chunk, _encoding, done) {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
        const rss = process.memoryUsage().rss;
        if (baseline === 0 && pulled >= 50_000) baseline = rss;
        peak = Math.max(peak, rss);
        done();
      },
    });
    started = Date.now();
    await pipeline(formatRows(counted(eventsDataset.rows(ctx, {})), eventsDataset.columns, FORMAT), sink);
    const seconds = (Date.now() - started) / 1000;
    const result = {
      rows: ROWS,
      format: FORMAT,
      fillSeconds: Number(fillSeconds.toFixed(1)),
      exportSeconds: Number(seconds.toFixed(1)),
      rowsPerSecond: Math.round(ROWS / seconds),
      outputMB: Math.round(bytes / MB),
      mbPerSecond: Number((bytes / MB / seconds).toFixed(1)),
      rssAfterWarmupMB: Math.round(baseline / MB),
      rssPeakMB: Math.round(peak / MB),
      rowsPulled: pulled,
      lines,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await store.close();
    // the log is closed with the process
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
