'use strict';
/**
 * `npm run bench` (after `npm run build`): HTTP commands against baselines, scale of the embedded log,
 * raw scan (projection rebuild pending), reads. Writes BENCHMARKS.md and bench/results/<mode>.json.
 *   --quick   < 1 minute      --full   1,000,000 disputes (~10M events): long
 *   --only http,scale,reads   --profile / --no-profile   --disputes N   --seconds N
 */
const { spawn } = require('node:child_process');
const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { tmpdir } = require('node:os');
const { machine, load } = require('./lib/machine');
const { render, upsert, TARGETS } = require('./lib/report');
const { httpSection, profileFile, scaleReads } = require('./http');

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};

const mode = flag('full') ? 'full' : flag('quick') ? 'quick' : 'default';
const preset = {
  quick: { seconds: 3, warmupSeconds: 1, profileSeconds: 0, disputes: 3_000, readSeconds: 2, catchUpTimeoutS: 20 },
  default: { seconds: 10, warmupSeconds: 3, profileSeconds: 15, disputes: 100_000, readSeconds: 10, catchUpTimeoutS: 600 },
  full: { seconds: 30, warmupSeconds: 5, profileSeconds: 20, disputes: 1_000_000, readSeconds: 15, catchUpTimeoutS: 3600 },
}[mode];
if (option('seconds')) preset.seconds = Number(option('seconds'));
if (option('disputes')) preset.disputes = Number(option('disputes'));
const section = option('section') ?? mode; // --section NAME: write under another heading (e.g. a re-run of one part)
const only = new Set((option('only') ?? 'http,scale,reads').split(','));
const ROOT = join(__dirname, '..');
const log = (line) => process.stdout.write(`${line}\n`);

function worker(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'scale.js'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`scale.js ${args[0]} exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Which code was measured: the commit, and whether the work tree had uncommitted changes. */
function source() {
  if (process.env.BENCH_SOURCE) return process.env.BENCH_SOURCE;
  try {
    const { execFileSync } = require('node:child_process');
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean).length;
    return `${commit}${dirty ? ` + ${dirty} uncommitted paths in the work tree` : ''}`;
  } catch {
    return 'unknown (not a git work tree)';
  }
}

async function main() {
  const started = Date.now();
  const results = {
    mode,
    command: argv.length ? `npm run bench -- ${argv.join(' ')}` : 'npm run bench',
    machine: machine(),
    startedAt: new Date().toISOString(),
    loadStart: load(),
    source: source(),
  };
  log(`bench (${mode}) on ${results.machine.cpu}, ${results.machine.cores} cores, Node ${results.machine.node}; load ${results.loadStart.one}/${results.loadStart.five}/${results.loadStart.fifteen}`);

  if (only.has('http')) {
    log('HTTP: durable commands vs GET /health and the no-op validated POST (50 connections)');
    const wantProfile = flag('profile') || (!flag('no-profile') && preset.profileSeconds > 0);
    results.http = await httpSection({ ...preset, log });
    const noop = results.http.runs.find((r) => r.name.startsWith('POST /api/v1/bench/noop'));
    const file = results.http.runs.find((r) => r.name.startsWith('POST /api/v1/disputes (file'));
    const missed = file.reqPerSec < TARGETS.durableVsNoop * noop.reqPerSec || file.reqPerSec < TARGETS.durablePerSec || file.p99Ms >= TARGETS.durableP99Ms;
    if (wantProfile && (missed || flag('profile'))) {
      results.http.profile = await profileFile({ seconds: preset.profileSeconds || 10, log });
    }
  }

  let scaleDir = null;
  try {
    if (only.has('scale') || only.has('reads')) {
      scaleDir = mkdtempSync(join(tmpdir(), 'casetrail-bench-scale-'));
      log(`Scale: ${preset.disputes.toLocaleString('en-US')} disputes × 10 events through SqliteEventStore (batched)`);
      let before = load();
      // 100,000 open disputes (the issue's read scenario) among the disputes written: all of them by default, 1 in 10 with --full.
      const openEvery = String(Math.max(1, Math.round(preset.disputes / 100_000)));
      results.scale = { ...(await worker(['write', '--dir', scaleDir, '--disputes', String(preset.disputes), '--open-every', openEvery])), loadBefore: before, loadAfter: load() };
      log(`  ${results.scale.events} events in ${results.scale.ms} ms (${results.scale.eventsPerSec}/s), ${results.scale.fileMB} MB, peak RSS ${results.scale.peakRssMB} MB`);
      if (only.has('scale')) {
        before = load();
        // --full: the rebuilt read store becomes the log's own, so the reads server starts caught up.
        const keep = mode === 'full' && only.has('reads') ? ['--keep-read-store'] : [];
        results.scan = { ...(await worker(['scan', '--dir', scaleDir, ...keep])), loadBefore: before, loadAfter: load() };
        log(`  raw scan: ${results.scan.readAllEventsPerSec} events/s via readAll pages, ${results.scan.rowsOnlyPerSec} rows/s unparsed, peak RSS ${results.scan.peakRssMB} MB; rebuild: ${results.scan.rebuild.status}`);
      }
    }
    if (only.has('reads') && results.scale) {
      log('Reads: GET /api/v1/disputes/:id on the scale log');
      results.reads = await scaleReads({ dataDir: scaleDir, ids: results.scale.sampleDisputeIds, agents: results.scale.agents, seconds: preset.readSeconds, catchUpTimeoutS: preset.catchUpTimeoutS, log });
    }
  } finally {
    if (scaleDir) rmSync(scaleDir, { recursive: true, force: true });
  }
  if (results.scale) delete results.scale.sampleDisputeIds;

  results.loadEnd = load();
  results.elapsedS = Math.round((Date.now() - started) / 1000);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', `${section}.json`), `${JSON.stringify(results, null, 2)}\n`);
  upsert(join(ROOT, 'BENCHMARKS.md'), section, render(results));
  log(`done in ${results.elapsedS} s; load ${results.loadEnd.one}/${results.loadEnd.five}/${results.loadEnd.fifteen}; BENCHMARKS.md (${section} section) and bench/results/${section}.json written`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
