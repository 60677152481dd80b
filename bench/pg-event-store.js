'use strict';
/**
 * Throughput of the PostgreSQL event store (dist/, so `npm run build` first), beside the embedded one:
 *   node bench/pg-event-store.js [--processes 1,4] [--concurrency 50] [--seconds 10] [--size 1] [--url postgres://...]
 * Each writer process keeps `concurrency` appends in flight (one event each by default, `any`, to 10,000
 * streams) for `seconds`; the parent then scans the whole log. A fresh schema per run, dropped afterwards.
 * The embedded row runs the same writer in one process on a SQLite file (several processes on one SQLite
 * file would only queue on its write lock). Prints one line per run and a JSON summary.
 */
const { fork } = require('node:child_process');
const { randomBytes, randomUUID } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const { loadavg, tmpdir } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const URL_BASE = option('url', process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test');
const load = () => loadavg().map((x) => x.toFixed(2)).join(' / ');

function openStore(kind, where) {
  if (kind === 'postgres') return new (require('../dist/event-store/postgres-event-store').PostgresEventStore)(where);
  return require('../dist/event-store/sqlite-event-store').openSqliteEventStore(where, { writerThread: true });
}

/** Child: appends until the deadline, reports counts and latencies. */
async function writer() {
  const [kind, where, concurrency, seconds, size] = process.argv.slice(3);
  const store = openStore(kind, where);
  await store.headPosition();
  const metadata = { actorId: 'bench', actorRoles: ['agent'], commandId: '', correlationId: 'c', causationId: null, policyVersion: null, schemaVersion: 1 };
  const latencies = [];
  let events = 0;
  const deadline = Date.now() + Number(seconds) * 1000;
  const loop = async () => {
    while (Date.now() < deadline) {
      const batch = Array.from({ length: Number(size) }, (_, k) => ({
        type: 'bench-event-v1',
        data: { k, note: 'the kettle leaks at the seam', amount: { amount: 19_900, currency: 'CNY' } },
        metadata: { ...metadata, commandId: randomUUID() },
      }));
      const started = process.hrtime.bigint();
      await store.append(`bench-${Math.floor(Math.random() * 10_000)}`, batch, 'any');
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      events += batch.length;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: Number(concurrency) }, loop));
  const elapsedMs = Date.now() - started;
  const stats = store.stats();
  await store.close();
  process.send({ events, elapsedMs, latencies, transactions: stats.transactions }, () => process.exit(0));
}

async function admin(sql) {
  const client = new Client({ connectionString: URL_BASE });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function measure(kind, processes, { concurrency, seconds, size }) {
  let where;
  let cleanup;
  if (kind === 'postgres') {
    const schema = `bench_${randomBytes(5).toString('hex')}`;
    await admin(`CREATE SCHEMA ${schema}`);
    const url = new URL(URL_BASE);
    url.searchParams.set('options', `-c search_path=${schema}`);
    where = url.toString();
    cleanup = () => admin(`DROP SCHEMA ${schema} CASCADE`);
  } else {
    where = mkdtempSync(join(tmpdir(), 'casetrail-bench-log-'));
    cleanup = async () => rmSync(where, { recursive: true, force: true });
  }
  const loadBefore = load();
  try {
    const reports = await Promise.all(
      Array.from(
        { length: processes },
        () =>
          new Promise((resolve, reject) => {
            const child = fork(__filename, ['--writer', kind, where, String(concurrency), String(seconds), String(size)]);
            child.once('message', resolve);
            child.once('exit', (code) => code !== 0 && reject(new Error(`writer exited with ${code}`)));
          }),
      ),
    );
    const events = reports.reduce((sum, r) => sum + r.events, 0);
    const elapsedMs = Math.max(...reports.map((r) => r.elapsedMs));
    const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const pct = (p) => +latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
    const store = openStore(kind, where);
    const scanStarted = Date.now();
    let scanned = 0;
    for (let after = 0; ; ) {
      const page = await store.readAll({ after, maxCount: 1000 });
      if (page.length === 0) break;
      scanned += page.length;
      after = page[page.length - 1].position;
    }
    const scanMs = Date.now() - scanStarted;
    await store.close();
    return {
      store: kind,
      processes,
      concurrency,
      eventsPerAppend: size,
      events,
      eventsPerSec: Math.round(events / (elapsedMs / 1000)),
      transactions: reports.reduce((sum, r) => sum + r.transactions, 0),
      appendP50Ms: pct(50),
      appendP99Ms: pct(99),
      scanned,
      scanPerSec: Math.round(scanned / (scanMs / 1000)),
      loadBefore,
      loadAfter: load(),
    };
  } finally {
    await cleanup();
  }
}

async function main() {
  const settings = { concurrency: Number(option('concurrency', 50)), seconds: Number(option('seconds', 10)), size: Number(option('size', 1)) };
  const runs = [];
  const plan = [['embedded', 1], ...option('processes', '1,4').split(',').map((p) => ['postgres', Number(p)])];
  for (const [kind, processes] of plan) {
    const r = await measure(kind, processes, settings);
    runs.push(r);
    process.stdout.write(
      `${r.store}, ${r.processes} process(es) × ${r.concurrency} in flight: ${r.eventsPerSec} events/s (${r.events} in ${r.transactions} transactions), ` +
        `append p50 ${r.appendP50Ms} ms p99 ${r.appendP99Ms} ms; scan ${r.scanPerSec} events/s; load ${r.loadBefore} → ${r.loadAfter}\n`,
    );
  }
  process.stdout.write(`${JSON.stringify({ settings, runs })}\n`);
}

if (argv[0] === '--writer') {
  writer().catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  });
}
