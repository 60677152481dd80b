'use strict';
/**
 * Two builds side by side, alternating, in one run: `node bench/ab.js --before DIR --after DIR`
 * (each DIR a checkout with `dist/` built; e.g. `git worktree add /tmp/before <rev> && cd /tmp/before &&
 * ln -s $PWD/../node_modules . && npx tsc -p tsconfig.build.json`). For each round and build: a fresh server
 * (fresh DATA_DIR, LOG_LEVEL=silent), then GET /health, the no-op validated POST, file, file without a defect
 * code and acknowledge (each disputes filed before, once, timed by its own clock), 50 connections each. Prints a markdown table of the means and the ratios to the no-op:
 * a change's effect measured in the same minutes on the same noisy machine.
 *
 * Options: --seconds N (8), --rounds N (2).
 */
const autocannon = require('autocannon');
const { mkdtempSync, rmSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { tmpdir } = require('node:os');
const { startServer } = require('./lib/server');
const { mintToken, newSecret } = require('./lib/jwt');
const { fileBody, timedRun } = require('./http');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SECONDS = Number(arg('seconds', 8));
const ROUNDS = Number(arg('rounds', 2));
const BUILDS = [
  ['before', resolve(arg('before', ''))],
  ['after', resolve(arg('after', join(__dirname, '..')))],
];
const ROUTES = ['health', 'noop', 'file', 'file without defect code', 'acknowledge'];

const run = (opts) => new Promise((ok, fail) => autocannon({ connections: 50, duration: SECONDS, ...opts }, (e, r) => (e ? fail(e) : ok(r))));

async function measure(root) {
  const secret = newSecret();
  const json = { authorization: `Bearer ${mintToken(secret, ['agent'], 'agent-bench')}`, 'content-type': 'application/json' };
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-ab-'));
  const server = await startServer({ dataDir, secret, root });
  const url = server.baseUrl;
  let n = Date.now() % 1_000_000;
  const ids = [];
  const post = (path, body, onResponse) => ({ method: 'POST', path, headers: json, setupRequest: (req) => ({ ...req, body: body() }), onResponse });
  const remember = (status, body) => status === 201 && ids.push(/"id":"([^"]+)"/.exec(body)?.[1]);
  const out = {};
  try {
    await run({ url: `${url}/health`, duration: 2 }); // warm-up
    const routes = {
      health: { url: `${url}/health` },
      noop: { url, requests: [post('/api/v1/bench/noop', () => fileBody(n++))] },
      file: { url, requests: [post('/api/v1/disputes', () => fileBody(n++), remember)] },
      'file without defect code': { url, requests: [post('/api/v1/disputes', () => fileBody(n++, { defectCode: false }), remember)] },
      acknowledge: {
        url,
        requests: [{ method: 'POST', headers: json, setupRequest: (req) => ({ ...req, path: `/api/v1/disputes/${ids.shift()}/acknowledge`, body: JSON.stringify({ message: 'we are on it' }) }) }],
      },
    };
    for (const route of ROUTES) {
      // Acknowledge answers faster than filing: a run of SECONDS would run out of filed disputes. It acknowledges
      // each one filed before, once, timed by its own clock (issue 19 item 6).
      const r = route === 'acknowledge' ? await timedRun({ connections: 50, amount: ids.length, ...routes[route] }) : await run(routes[route]);
      if (r.non2xx > 0) throw new Error(`${route}: ${r.non2xx} non-2xx answers ${JSON.stringify(r.statusCodeStats)}`);
      out[route] = { rps: r.requests.total / r.duration, p99: r.latency.p99 };
    }
    out.rssMB = server.memory().peakRssMB;
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}

(async () => {
  const results = { before: [], after: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, root] of BUILDS) {
      process.stderr.write(`round ${round + 1}: ${name} (${root})\n`);
      results[name].push(await measure(root));
    }
  }
  const mean = (name, route, key = 'rps') => results[name].reduce((sum, r) => sum + r[route][key], 0) / results[name].length;
  const fmt = (x) => Math.round(x).toLocaleString('en-US');
  const lines = [`| route (req/s, mean of ${ROUNDS} alternating runs of ${SECONDS} s) | before | after | change |`, '|---|---:|---:|---:|'];
  for (const route of ROUTES) {
    const [b, a] = [mean('before', route), mean('after', route)];
    const p99 = (name) => results[name].map((r) => r[route].p99).join('/');
    lines.push(`| ${route} | ${fmt(b)} (p99 ${p99('before')} ms) | ${fmt(a)} (p99 ${p99('after')} ms) | ${a >= b ? '+' : '−'}${Math.abs(Math.round((100 * (a - b)) / b))}% |`);
  }
  for (const route of ['file', 'file without defect code', 'acknowledge']) {
    lines.push(`| ${route} ÷ no-op | ${(mean('before', route) / mean('before', 'noop')).toFixed(2)} | ${(mean('after', route) / mean('after', 'noop')).toFixed(2)} | |`);
  }
  const rss = (name) => Math.max(...results[name].map((r) => r.rssMB));
  lines.push(`| server peak RSS | ${rss('before')} MB | ${rss('after')} MB | |`);
  process.stdout.write(`${lines.join('\n')}\n`);
})().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
