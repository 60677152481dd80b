'use strict';
/**
 * HTTP section: the built server as a child process, autocannon in this process, all runs against the
 * same server process so the baselines and the durable commands share its warm-up and its data.
 */
const autocannon = require('autocannon');
const { mkdtempSync, rmSync, readdirSync } = require('node:fs');
const { join } = require('node:path');
const { tmpdir } = require('node:os');
const { startServer } = require('./lib/server');
const { mintToken, newSecret } = require('./lib/jwt');
const { load } = require('./lib/machine');
const { summarize } = require('./cpuprofile-summary');

const CONNECTIONS = 50;

/** A FileDisputeDto body like test/support/http-client.ts's fileBody(), with per-request ids. */
function fileBody(n, { defectCode = true } = {}) {
  const body = {
    customerId: `bench-cust-${n % 5000}`,
    orderId: `bench-order-${n}`,
    productSku: 'kettle-2l',
    channel: 'web',
    category: 'quality_defect',
    description: 'the kettle leaks at the seam',
    purchasedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    deliveredAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
    requestedRemedy: 'refund',
    amountClaimed: { amount: 19_900, currency: 'CNY' },
    proofOfPurchase: true,
  };
  if (defectCode) body.defectCode = 'LEAK';
  return JSON.stringify(body);
}

const idOf = (body) => /"id":"([^"]+)"/.exec(body)?.[1];

function run(opts) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (error, result) => (error ? reject(error) : resolve(result)));
    instance.on('error', () => undefined);
  });
}

/**
 * A fixed-count run (`amount`) reports on autocannon's next whole-second tick after its last response, so its
 * `duration` is rounded up (5,174 requests in "3 s", 22,614 in "8 s"): such runs are timed by our own clock,
 * from the call to the last response (`clock: 'own'`). Duration runs keep autocannon's measured duration.
 */
function timedRun(opts) {
  if (!opts.amount) return run(opts).then((result) => ({ ...result, clock: 'autocannon' }));
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let last = started;
    const instance = autocannon(opts, (error, result) => {
      if (error) return reject(error);
      resolve({ ...result, autocannonDuration: result.duration, duration: Number(last - started) / 1e9, clock: 'own' });
    });
    instance.on('error', () => undefined);
    instance.on('response', () => (last = process.hrtime.bigint()));
  });
}

function summary(name, result, loadBefore, extra = {}) {
  const codes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, v]) => [code, v.count]));
  return {
    name,
    connections: result.connections,
    durationS: +result.duration.toFixed(result.clock === 'own' ? 3 : 1),
    clock: result.clock,
    ...(result.autocannonDuration !== undefined ? { autocannonDurationS: result.autocannonDuration } : {}),
    requests: result.requests.total,
    reqPerSec: Math.round(result.requests.total / result.duration),
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: codes,
    loadBefore,
    loadAfter: load(),
    ...extra,
  };
}

/**
 * @param {{ seconds: number, warmupSeconds: number, log: (s: string) => void }} options
 */
async function httpSection({ seconds, warmupSeconds, log }) {
  const secret = newSecret();
  const agent = mintToken(secret, ['agent'], 'agent-bench');
  const headers = { authorization: `Bearer ${agent}` };
  const json = { ...headers, 'content-type': 'application/json' };
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-bench-http-'));
  const server = await startServer({ dataDir, secret });
  const url = server.baseUrl;
  const noopVia = /bench-preload/.test(server.stderr()) ? 'bench/lib/child-preload.js (app.module.ts change pending)' : 'app.module.ts (benchControllers())';
  const runs = [];
  let n = 0;
  const filed = [];
  const fileRequest = (opts) => ({
    method: 'POST',
    path: '/api/v1/disputes',
    headers: json,
    setupRequest: (req) => ({ ...req, body: fileBody(n++, opts) }),
    onResponse: (status, body) => {
      if (status === 201) {
        const id = idOf(body);
        if (id && filed.length < 200_000) filed.push(id);
      }
    },
  });
  const noopRequest = { method: 'POST', path: '/api/v1/bench/noop', headers: json, setupRequest: (req) => ({ ...req, body: fileBody(n++) }) };
  const base = { url, connections: CONNECTIONS, headers };
  try {
    // Sanity: the no-op route exists and refuses what the real route refuses.
    const probe = await fetch(`${url}/api/v1/bench/noop`, { method: 'POST', headers: json, body: fileBody(0) });
    if (probe.status !== 200) throw new Error(`no-op route answered ${probe.status}: ${await probe.text()}`);
    const bad = await fetch(`${url}/api/v1/bench/noop`, { method: 'POST', headers: json, body: '{"customerId":1}' });
    if (bad.status !== 400) throw new Error(`no-op route did not validate (status ${bad.status})`);

    log(`  warm-up ${warmupSeconds}s per route`);
    await run({ ...base, url: `${url}/health`, duration: warmupSeconds });
    await run({ ...base, duration: warmupSeconds, requests: [noopRequest] });
    await run({ ...base, duration: warmupSeconds, requests: [fileRequest()] });

    const measure = async (name, opts, extra) => {
      const before = load();
      const result = summary(name, await timedRun({ ...base, ...opts }), before, extra);
      log(`  ${name}: ${result.reqPerSec} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, non-2xx ${result.non2xx}, load ${before.one}→${result.loadAfter.one}`);
      runs.push(result);
      return result;
    };

    await measure('GET /health', { url: `${url}/health`, duration: seconds });
    await measure('POST /api/v1/bench/noop (FileDisputeDto validated, token checked, nothing stored)', { duration: seconds, requests: [noopRequest] }, { noopVia });
    const before = filed.length;
    await measure('POST /api/v1/disputes (file, durable)', { duration: seconds, requests: [fileRequest()] });
    const fileIds = filed.slice(before);
    await measure('POST /api/v1/disputes without defectCode (no wait for the directory projection)', { duration: seconds, requests: [fileRequest({ defectCode: false })] });

    // Acknowledge disputes filed beforehand: one valid command per dispute, as many as were filed.
    const ackIds = fileIds.slice(0, 100_000);
    let next = 0;
    await measure(`POST /api/v1/disputes/:id/acknowledge (${ackIds.length} disputes filed above, one each)`, {
      amount: ackIds.length,
      requests: [{ method: 'POST', headers: json, body: JSON.stringify({ message: 'we are on it' }), setupRequest: (req) => ({ ...req, path: `/api/v1/disputes/${ackIds[next++]}/acknowledge` }) }],
    });

    // Each connection: file, then acknowledge the dispute it just filed.
    await measure('file then acknowledge, chained per connection (req/s counts both)', {
      duration: seconds,
      requests: [
        { ...fileRequest(), onResponse: (status, body, context) => (context.id = status === 201 ? idOf(body) : 'missing') },
        { method: 'POST', headers: json, body: JSON.stringify({ message: 'we are on it' }), setupRequest: (req, context) => ({ ...req, path: `/api/v1/disputes/${context.id}/acknowledge` }) },
      ],
    });

    // Reads of single disputes among those filed in this run (the stream is folded per read).
    const readIds = filed.slice(0, 50_000);
    const readRequest = { method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/disputes/${readIds[Math.floor(Math.random() * readIds.length)]}` }) };
    await measure(`GET /api/v1/disputes/:id, 1 connection (${filed.length} disputes in the log)`, { duration: seconds, connections: 1, requests: [readRequest] });
    await measure(`GET /api/v1/disputes/:id, ${CONNECTIONS} connections`, { duration: seconds, requests: [readRequest] });
  } finally {
    const memory = server.memory();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    runs.memory = memory;
  }

  return { runs, memory: runs.memory, noopVia };
}

/** A fresh server under `--cpu-prof`, loaded with file commands only; returns the self-time summary. */
async function profileFile({ seconds, log }) {
  const secret = newSecret();
  const headers = { authorization: `Bearer ${mintToken(secret, ['agent'], 'agent-bench')}`, 'content-type': 'application/json' };
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-bench-prof-'));
  const profDir = mkdtempSync(join(tmpdir(), 'casetrail-cpuprof-'));
  const server = await startServer({ dataDir, secret, cpuProfDir: profDir });
  let n = 0;
  try {
    log(`  profiling the server under file load for ${seconds}s (node --cpu-prof)`);
    const before = load();
    const result = await run({
      url: server.baseUrl, connections: CONNECTIONS, headers, duration: seconds,
      requests: [{ method: 'POST', path: '/api/v1/disputes', headers: { ...headers, 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: fileBody(n++) }) }],
    });
    await server.stop();
    // One profile per thread: CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile; thread 0 serves requests.
    const files = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
    const threadOf = (f) => Number(f.split('.')[4]);
    const main = files.find((f) => threadOf(f) === 0);
    if (!main) throw new Error('no .cpuprofile of the main thread written');
    const { readFileSync } = require('node:fs');
    const read = (f) => readFileSync(join(profDir, f), 'utf8');
    const profile = summarize(JSON.parse(read(main)), 25);
    const threads = files
      .filter((f) => f !== main)
      .map((f) => {
        const text = read(f);
        const label = text.includes('projection-worker.main') ? 'projection worker thread' : text.includes('sqlite-writer.main') ? 'event-store writer thread' : `thread ${threadOf(f)}`;
        return { label, ...summarize(JSON.parse(text), 8) };
      });
    return { run: summary('profiled file run (under --cpu-prof, slower)', result, before), ...profile, threads };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profDir, { recursive: true, force: true });
  }
}

/** Reads against a data dir written by the scale section (directory projection caught up first). */
async function scaleReads({ dataDir, ids, agents = 0, seconds, catchUpTimeoutS, log, cpuProfDir }) {
  const secret = newSecret();
  const agent = mintToken(secret, ['agent'], 'agent-bench');
  const headers = { authorization: `Bearer ${agent}` };
  const startedAt = Date.now();
  const server = await startServer({ dataDir, secret, startTimeoutMs: 120_000, cpuProfDir });
  const runs = [];
  const catchUp = { startMs: Date.now() - startedAt };
  try {
    // The server catches its dispute-directory read model up with the imported log before reads are timed.
    const t0 = Date.now();
    let health;
    for (;;) {
      health = await (await fetch(`${server.baseUrl}/health`)).json();
      const projections = health.projections ?? [];
      const failed = projections.find((p) => p.error);
      if (failed) throw new Error(`projection ${failed.name} failed: ${failed.error}`);
      if (projections.length > 0 && projections.every((p) => p.lagEvents === 0)) break;
      if (Date.now() - t0 > catchUpTimeoutS * 1000) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const projections = health.projections ?? [];
    const slowest = projections.reduce((a, p) => (a === null || p.position < a.position ? p : a), null) ?? {};
    Object.assign(catchUp, {
      ms: Date.now() - t0, head: health.eventStore?.headPosition, position: slowest.position, lagEvents: slowest.lagEvents,
      projections: projections.map((p) => `${p.name} at ${p.position} (lag ${p.lagEvents})`).join(', '),
    });
    catchUp.eventsPerSec = catchUp.ms > 0 ? Math.round((slowest.position ?? 0) / (catchUp.ms / 1000)) : null;
    log(`  projections catch-up: ${catchUp.projections} of ${catchUp.head} events in ${catchUp.ms} ms`);
    const readRequest = { method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/disputes/${ids[Math.floor(Math.random() * ids.length)]}` }) };
    for (const connections of [1, CONNECTIONS]) {
      await run({ url: server.baseUrl, headers, connections, duration: Math.min(2, Math.max(1, seconds / 5)), requests: [readRequest] }); // warm-up
      const before = load();
      const result = summary(`GET /api/v1/disputes/:id (10 events each), ${connections} connection${connections > 1 ? 's' : ''}`, await run({ url: server.baseUrl, headers, connections, duration: seconds, requests: [readRequest] }), before);
      log(`  ${result.name}: ${result.reqPerSec} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, non-2xx ${result.non2xx}`);
      runs.push(result);
    }
    if (agents > 0) {
      // Agents' queues (API.md /queues/agents/:agentId) read by a supervisor, a random agent per request.
      const supervisor = { authorization: `Bearer ${mintToken(secret, ['supervisor'], 'sup-bench')}` };
      const sample = await (await fetch(`${server.baseUrl}/api/v1/queues/agents/agent-1`, { headers: supervisor })).json();
      const queueSize = sample.items?.length ?? 0;
      if (queueSize === 0) throw new Error(`queue of agent-1 is empty: ${JSON.stringify(sample).slice(0, 200)}`);
      const queueRequest = { method: 'GET', headers: supervisor, setupRequest: (req) => ({ ...req, path: `/api/v1/queues/agents/agent-${Math.floor(Math.random() * agents)}` }) };
      for (const connections of [1, CONNECTIONS]) {
        await run({ url: server.baseUrl, headers: supervisor, connections, duration: Math.min(2, Math.max(1, seconds / 5)), requests: [queueRequest] }); // warm-up
        const before = load();
        const name = `GET /api/v1/queues/agents/:agentId (${agents} agents, ≈${queueSize} open disputes each), ${connections} connection${connections > 1 ? 's' : ''}`;
        const result = summary(name, await run({ url: server.baseUrl, headers: supervisor, connections, duration: seconds, requests: [queueRequest] }), before);
        log(`  ${result.name}: ${result.reqPerSec} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, non-2xx ${result.non2xx}`);
        runs.push(result);
      }
    }
  } finally {
    catchUp.memory = server.memory();
    await server.stop();
  }
  return { catchUp, runs };
}

module.exports = { httpSection, profileFile, scaleReads, fileBody, timedRun, summary };
