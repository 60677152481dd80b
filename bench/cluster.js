'use strict';
/**
 * The multi-instance deployment (issue 19, item 2) under load: three instances of dist/main.js on the
 * PostgreSQL event and read stores (a database of its own on the machine's PostgreSQL, dropped afterwards)
 * behind HAProxy (test/support/cluster.js; the Node proxy when haproxy is missing: the report says which).
 * In one run, side by side: the embedded default (one instance, SQLite), one instance of the cluster straight
 * (no balancer), then the three through the balancer; each: file for `--seconds`, file without a defect code
 * for `--seconds`, then acknowledge every dispute filed in the first run, timed by our own clock.
 *
 *   npm run build && node bench/cluster.js [--seconds 10] [--connections 50] [--proxy auto|node] [--no-write]
 *     [--section NAME] [--pg-setting synchronous_commit=off] [--instances N] [--no-embedded]   (diagnostics)
 *
 * Writes bench/results/<section>.json and that section of BENCHMARKS.md (default "cluster"; unless --no-write).
 */
const autocannon = require('autocannon');
const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { startCluster } = require('../test/support/cluster');
const { mintToken, newSecret } = require('./lib/jwt');
const { machine, load, fmtLoad } = require('./lib/machine');
const { upsert } = require('./lib/report');
const { startServer } = require('./lib/server');
const { fileBody, timedRun, summary } = require('./http');

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const SECONDS = Number(option('seconds', 10));
const CONNECTIONS = Number(option('connections', 50));
const WARMUP = Number(option('warmup', 2));
const ROOT = join(__dirname, '..');
const log = (line) => process.stdout.write(`${line}\n`);
const idOf = (body) => /"id":"([^"]+)"/.exec(body)?.[1];

async function target(name, url, token) {
  const json = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let n = 0;
  const filed = [];
  let defectCode = true;
  const fileRequest = {
    method: 'POST',
    path: '/api/v1/disputes',
    headers: json,
    setupRequest: (req) => ({ ...req, body: fileBody(n++, { defectCode }) }),
    onResponse: (status, body) => {
      if (status === 201 && filed.length < 200_000) filed.push(idOf(body));
    },
  };
  const base = { url, connections: CONNECTIONS };
  const runs = [];
  const measure = async (label, opts) => {
    const before = load();
    const result = summary(`${name}: ${label}`, await timedRun({ ...base, ...opts }), before);
    log(
      `  ${result.name}: ${result.reqPerSec} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, non-2xx ${result.non2xx}, errors ${result.errors}, load ${before.one}→${result.loadAfter.one}`,
    );
    runs.push(result);
  };
  await new Promise((resolve, reject) =>
    autocannon({ ...base, duration: WARMUP, requests: [fileRequest] }, (e) => (e ? reject(e) : resolve())),
  );
  const warm = filed.length;
  await measure('POST /api/v1/disputes (file)', { duration: SECONDS, requests: [fileRequest] });
  const ids = filed.slice(warm);
  defectCode = false;
  await measure('POST /api/v1/disputes without defectCode (no wait for the directory projection)', { duration: SECONDS, requests: [fileRequest] });
  defectCode = true;
  let next = 0;
  await measure(`POST /api/v1/disputes/:id/acknowledge (${ids.length} disputes filed above, one each)`, {
    amount: ids.length,
    requests: [
      {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ message: 'we are on it' }),
        setupRequest: (req) => ({ ...req, path: `/api/v1/disputes/${ids[next++]}/acknowledge` }),
      },
    ],
  });
  return runs;
}

async function main() {
  const secret = newSecret();
  const token = mintToken(secret, ['agent'], 'agent-bench');
  const results = {
    command: `node bench/cluster.js${argv.length ? ` ${argv.join(' ')}` : ''}`,
    machine: machine(),
    startedAt: new Date().toISOString(),
    loadStart: load(),
  };
  log(`cluster bench on ${results.machine.cpu}, ${results.machine.cores} cores; load ${fmtLoad(results.loadStart)}`);
  // The embedded default first, alone on the machine (its own process, then stopped).
  const embeddedDir = mkdtempSync(join(tmpdir(), 'casetrail-bench-embedded-'));
  const embedded = await startServer({ dataDir: embeddedDir, secret });
  try {
    results.runs = argv.includes('--no-embedded') ? [] : await target('embedded default, 1 instance', embedded.baseUrl, token);
  } finally {
    await embedded.stop();
    rmSync(embeddedDir, { recursive: true, force: true });
  }
  const pgSetting = option('pg-setting'); // e.g. synchronous_commit=off: a diagnostic, never a production figure
  const databaseSettings = pgSetting ? Object.fromEntries([pgSetting.split('=')]) : {};
  results.databaseSettings = databaseSettings;
  const cluster = await startCluster({ secret, instances: Number(option('instances', 3)), proxy: option('proxy', 'auto'), logLevel: 'silent', databaseSettings });
  results.proxy = cluster.proxy;
  results.instances = cluster.instances.length;
  log(`  ${cluster.instances.length} instance(s) on PostgreSQL (${cluster.database}) behind ${cluster.proxy}`);
  try {
    results.runs = [
      ...results.runs,
      ...(await target('1 instance, straight', cluster.instances[0].baseUrl, token)),
      ...(await target(`${cluster.instances.length} instances behind the balancer`, cluster.url, token)),
    ];
    const health = await (await fetch(`${cluster.url}/health`)).json();
    results.headPosition = health.eventStore.headPosition;
  } finally {
    await cluster.stop();
  }
  results.loadEnd = load();
  log(JSON.stringify({ proxy: results.proxy, runs: results.runs.map((r) => [r.name, r.reqPerSec, r.p99Ms]) }));
  if (argv.includes('--no-write')) return;
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  const section = option('section', 'cluster');
  writeFileSync(join(__dirname, 'results', `${section}.json`), `${JSON.stringify(results, null, 2)}\n`);
  upsert(join(ROOT, 'BENCHMARKS.md'), section, render(results));
}

function render(r) {
  const n = (x) => x.toLocaleString('en-US');
  const rows = r.runs.map((x) => {
    const clock = x.clock === 'own' ? ` [${n(x.requests)} in ${x.durationS} s, own clock]` : '';
    const codes = Object.entries(x.statusCodes)
      .filter(([c]) => !c.startsWith('2'))
      .map(([c, k]) => `${k}×${c}`)
      .join(' ');
    return `| ${x.name}${clock} | ${x.connections} | ${n(x.reqPerSec)} | ${x.p50Ms} | ${x.p99Ms} | ${x.maxMs} | ${x.non2xx}${codes ? ` (${codes})` : ''}${x.errors ? `, ${x.errors} errors` : ''} | ${fmtLoad(x.loadBefore)} → ${fmtLoad(x.loadAfter)} |`;
  });
  return [
    `## Run: \`${r.command}\` (multi-instance deployment, issue 19)`,
    '',
    `${r.startedAt}, ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}. ${r.instances ?? 3} instance(s) of`,
    `\`dist/main.js\` (\`EVENT_STORE=postgres\`, \`READ_STORE=postgres\`, one database of the machine's PostgreSQL) behind`,
    `${r.proxy} (config generated by \`test/support/cluster.js\`), all on the same 2 cores as the load generator and`,
    `PostgreSQL${Object.keys(r.databaseSettings ?? {}).length ? ` (**diagnostic run, database settings ${JSON.stringify(r.databaseSettings)}**)` : ''}.${r.runs.some((x) => x.name.startsWith('embedded')) ? ' The embedded default (one instance on SQLite, `bench/lib/server.js`) ran first in the same run, alone.' : ''}`,
    `Load at start ${fmtLoad(r.loadStart)}, at the end ${fmtLoad(r.loadEnd)}; busiest processes at start: ${r.loadStart.busiest}.`,
    '',
    '| run | conns | req/s | p50 ms | p99 ms | max ms | non-2xx | load before → after (1/5/15 min) |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...rows,
  ].join('\n');
}

// `node bench/cluster.js --render SECTION`: writes that section of BENCHMARKS.md again from bench/results/SECTION.json.
if (option('render')) {
  const section = option('render');
  upsert(join(ROOT, 'BENCHMARKS.md'), section, render(JSON.parse(require('node:fs').readFileSync(join(__dirname, 'results', `${section}.json`), 'utf8'))));
} else
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
