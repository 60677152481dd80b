'use strict';
/**
 * Scale worker, run by bench/run.js in its own process so that its peak RSS is its own:
 *   node bench/scale.js write --dir DIR --disputes N [--batch 500]
 *   node bench/scale.js scan  --dir DIR [--page 1000]
 * Prints one JSON line (the result) on stdout.
 */
const { mkdirSync, statSync, existsSync, readFileSync, mkdtempSync, rmSync, renameSync } = require('node:fs');
const { join } = require('node:path');
const { tmpdir } = require('node:os');
const { disputeFactory, EVENTS_PER_DISPUTE, AGENTS } = require('./lib/lifecycle');
const { loadRebuildHook } = require('./lib/rebuild-hook');

const DIST = join(__dirname, '..', 'dist');
const { SqliteEventStore } = require(join(DIST, 'event-store', 'sqlite-event-store.js'));

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

function vmHwmMB() {
  const m = /^VmHWM:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? +(Number(m[1]) / 1024).toFixed(1) : NaN;
}

let maxRss = 0;
const sampleRss = () => (maxRss = Math.max(maxRss, process.memoryUsage.rss()));
const SAMPLE = 5000;
const mb = (bytes) => +(bytes / 2 ** 20).toFixed(1);

function fileBytes(dir) {
  let total = 0;
  for (const f of ['events.db', 'events.db-wal', 'events.db-shm']) if (existsSync(join(dir, f))) total += statSync(join(dir, f)).size;
  return total;
}

async function write() {
  const dir = arg('dir');
  const disputes = Number(arg('disputes'));
  const batch = Number(arg('batch', '500'));
  mkdirSync(dir, { recursive: true });
  const store = new SqliteEventStore(join(dir, 'events.db')); // synchronous=FULL, as the service runs it
  const openEvery = Number(arg('open-every', '0'));
  const make = disputeFactory({ openEvery });
  let openDisputes = 0;
  const deciles = [];
  let genNs = 0n;
  const started = process.hrtime.bigint();
  let lastMark = started;
  let lastMarkEvents = 0;
  const ids = [];
  for (let done = 0; done < disputes; ) {
    const n = Math.min(batch, disputes - done);
    const g0 = process.hrtime.bigint();
    const streams = Array.from({ length: n }, (_, j) => make(done + j));
    genNs += process.hrtime.bigint() - g0;
    openDisputes += streams.filter((s) => s.open).length;
    // All appends queued in one turn of the event loop: the store commits them in one transaction.
    await Promise.all(streams.map((s) => store.append(s.streamId, s.events, 'no_stream')));
    // Reservoir sample of dispute ids, uniform over the whole log, for the reads benchmark.
    streams.forEach((s, j) => {
      const seen = done + j;
      if (ids.length < SAMPLE) ids.push(s.disputeId);
      else if (Math.random() < SAMPLE / (seen + 1)) ids[Math.floor(Math.random() * SAMPLE)] = s.disputeId;
    });
    done += n;
    sampleRss();
    if (done % Math.max(batch, Math.floor(disputes / 10 / batch) * batch) === 0 || done === disputes) {
      const now = process.hrtime.bigint();
      const events = done * EVENTS_PER_DISPUTE;
      deciles.push({ events, eventsPerSec: Math.round(((events - lastMarkEvents) * 1e9) / Number(now - lastMark)), rssMB: mb(process.memoryUsage.rss()) });
      lastMark = now;
      lastMarkEvents = events;
    }
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const stats = store.stats();
  await store.close();
  const events = disputes * EVENTS_PER_DISPUTE;
  return {
    mode: 'write', disputes, openDisputes, agents: openDisputes > 0 ? Math.min(openDisputes, AGENTS) : 0, events, batchAppends: batch, eventsPerTransaction: batch * EVENTS_PER_DISPUTE,
    ms: Math.round(ms), eventsPerSec: Math.round(events / (ms / 1000)), disputesPerSec: Math.round(disputes / (ms / 1000)),
    generationMs: Math.round(Number(genNs) / 1e6), transactions: stats.transactions,
    fileMB: mb(fileBytes(dir)), bytesPerEvent: Math.round(fileBytes(dir) / events),
    peakRssMB: vmHwmMB(), maxSampledRssMB: mb(maxRss), progress: deciles, sampleDisputeIds: ids,
  };
}

async function scan() {
  const dir = arg('dir');
  const page = Number(arg('page', '1000'));
  const store = new SqliteEventStore(join(dir, 'events.db'));
  const head = await store.headPosition();
  // 1. readAll pages (the adapter's own read path: rows → StoredEvent, data and metadata JSON.parsed).
  let after = 0;
  let events = 0;
  let bytes = 0;
  const types = new Map();
  const t0 = process.hrtime.bigint();
  for (;;) {
    const batch = await store.readAll({ after, maxCount: page });
    if (batch.length === 0) break;
    for (const e of batch) types.set(e.type, (types.get(e.type) ?? 0) + 1); // touch each parsed event
    events += batch.length;
    after = batch[batch.length - 1].position;
    sampleRss();
  }
  const readAllMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const readAllRss = mb(maxRss);
  await store.close();

  // 2. The same log, rows only (better-sqlite3 iterate, no JSON.parse): how much of the scan is parsing.
  const Database = require('better-sqlite3');
  const db = new Database(join(dir, 'events.db'), { readonly: true });
  const t1 = process.hrtime.bigint();
  let rows = 0;
  for (const row of db.prepare('SELECT position, type, data, metadata FROM events ORDER BY position').raw().iterate()) {
    rows += row[2].length > 0 ? 1 : 0;
    if ((rows & 0xffff) === 0) sampleRss();
  }
  const rowsMs = Number(process.hrtime.bigint() - t1) / 1e6;
  db.close();

  // 3. Projection rebuild through the engine (same log, same process): every projection rebuilt from zero into
  // a fresh read store, in one pass over the log. events/s = log events rebuilt (each applied to every
  // projection) per second of the whole call, comparable with the raw scan above; `applications` counts
  // event × projection for comparison with the earlier per-projection passes.
  let rebuild = { status: 'pending the projection engine' };
  const hook = loadRebuildHook();
  if (hook) {
    const readDir = mkdtempSync(join(tmpdir(), 'casetrail-rebuild-'));
    try {
      const rebuildStore = new SqliteEventStore(join(dir, 'events.db'));
      const t2 = process.hrtime.bigint();
      const reports = await hook(rebuildStore, readDir, {});
      const ms = Number(process.hrtime.bigint() - t2) / 1e6;
      sampleRss();
      await rebuildStore.close();
      const logEvents = Math.max(...reports.map((r) => r.events));
      const applications = reports.reduce((sum, r) => sum + r.events, 0);
      rebuild = {
        status: 'measured', events: logEvents, ms: Math.round(ms), eventsPerSec: Math.round(logEvents / (ms / 1000)),
        projections: reports.length, applications, applicationsPerSec: Math.round(applications / (ms / 1000)),
        vsReadAll: +(logEvents / (ms / 1000) / (events / (readAllMs / 1000))).toFixed(3), reports,
      };
      if (process.argv.includes('--keep-read-store')) {
        // The log's own read store, as `rebuild-projections` then a start would leave it: the reads section's
        // server starts caught up instead of catching 10M events up batch by batch (≈ 20 min).
        for (const suffix of ['', '-wal', '-shm']) {
          if (existsSync(join(readDir, `read.db${suffix}`))) renameSync(join(readDir, `read.db${suffix}`), join(dir, `read.db${suffix}`));
        }
        rebuild.keptAsReadStore = true;
      }
    } finally {
      rmSync(readDir, { recursive: true, force: true });
    }
  }

  return {
    mode: 'scan', head, events, page,
    readAllMs: Math.round(readAllMs), readAllEventsPerSec: Math.round(events / (readAllMs / 1000)), readAllMaxRssMB: readAllRss,
    rowsOnlyMs: Math.round(rowsMs), rowsOnlyPerSec: Math.round(rows / (rowsMs / 1000)),
    types: Object.fromEntries(types), rebuild, peakRssMB: vmHwmMB(), maxSampledRssMB: mb(maxRss),
  };
}

const mode = process.argv[2];
(mode === 'write' ? write() : mode === 'scan' ? scan() : Promise.reject(new Error(`unknown mode ${mode}`)))
  .then((result) => process.stdout.write(`${JSON.stringify(result)}\n`))
  .catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
