'use strict';
/** Renders one run as a BENCHMARKS.md section and puts it between that mode's markers. */
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { fmtLoad } = require('./machine');
const { toMarkdown } = require('../cpuprofile-summary');
const { HOOK_SIGNATURE } = require('./rebuild-hook');

const TARGETS = {
  durableVsNoop: 0.6,
  durablePerSec: 3000,
  durableP99Ms: 50,
  rebuildPerSec: 100_000,
  readP99Ms: 5,
  peakRssMB: 512,
};

const n = (x) => (typeof x === 'number' && Number.isFinite(x) ? x.toLocaleString('en-US') : String(x));
const ok = (pass) => (pass ? 'met' : '**missed**');

function httpTable(runs) {
  const lines = [
    '| run | conns | req/s | p50 ms | p99 ms | max ms | non-2xx | load before → after (1/5/15 min) |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of runs) {
    const codes = Object.entries(r.statusCodes).filter(([c]) => !c.startsWith('2')).map(([c, k]) => `${k}×${c}`).join(' ');
    const clock = r.clock === 'own' ? ` [${n(r.requests)} requests in ${r.durationS} s by our clock; autocannon said ${r.autocannonDurationS} s]` : '';
    lines.push(`| ${r.name}${clock} | ${r.connections} | ${n(r.reqPerSec)} | ${r.p50Ms} | ${r.p99Ms} | ${r.maxMs} | ${r.non2xx}${codes ? ` (${codes})` : ''}${r.errors ? `, ${r.errors} errors` : ''} | ${fmtLoad(r.loadBefore)} → ${fmtLoad(r.loadAfter)} |`);
  }
  return lines.join('\n');
}

function render(results) {
  const { mode, command, machine, loadStart, loadEnd, startedAt, elapsedS, http, scale, scan, reads } = results;
  const out = [];
  out.push(`## Run: \`${command}\` (${mode})`, '');
  out.push(`- date: ${startedAt} (took ${elapsedS} s)`);
  out.push(`- code measured: ${results.source}`);
  out.push(`- machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}`);
  out.push(`- load average (1/5/15 min) at start: ${fmtLoad(loadStart)}; at end: ${fmtLoad(loadEnd)}`);
  out.push(`- busiest processes at start: ${loadStart.busiest}`);
  out.push(`- server: \`node dist/main.js\` as a child process, fresh DATA_DIR and AUTH_JWT_SECRET, LOG_LEVEL=silent; autocannon in the parent process (both share the 2 cores)`);
  out.push('');

  if (http) {
    const get = (prefix) => http.runs.find((r) => r.name.startsWith(prefix));
    const health = get('GET /health');
    const noop = get('POST /api/v1/bench/noop');
    const file = get('POST /api/v1/disputes (file');
    const ack = get('POST /api/v1/disputes/:id/acknowledge');
    out.push('### Durable commands over HTTP (autocannon, same server process for every run)', '');
    out.push(httpTable(http.runs), '');
    out.push(`No-op route registered via ${http.noopVia}. Server child memory at the end: RSS ${http.memory.rssMB} MB, peak ${http.memory.peakRssMB} MB.`, '');
    const lines = ['| durable command | req/s | ÷ GET /health | ÷ no-op POST | ≥ 60% of no-op | ≥ 3,000/s | p99 < 50 ms |', '|---|---:|---:|---:|---|---|---|'];
    for (const r of [file, ack].filter(Boolean)) {
      const vsNoop = r.reqPerSec / noop.reqPerSec;
      lines.push(`| ${r.name.split(' (')[0]}${r === file ? ' (file)' : ''} | ${n(r.reqPerSec)} | ${(r.reqPerSec / health.reqPerSec).toFixed(3)} | ${vsNoop.toFixed(3)} | ${ok(vsNoop >= TARGETS.durableVsNoop)} | ${ok(r.reqPerSec >= TARGETS.durablePerSec)} | ${ok(r.p99Ms < TARGETS.durableP99Ms)} (${r.p99Ms} ms) |`);
    }
    out.push(lines.join('\n'), '');
    if (http.profile) {
      out.push('#### CPU profile of the server under file load', '');
      out.push(`Run: ${n(http.profile.run.reqPerSec)} req/s under the profiler, p99 ${http.profile.run.p99Ms} ms, load ${fmtLoad(http.profile.run.loadBefore)} → ${fmtLoad(http.profile.run.loadAfter)}.`, '');
      out.push(toMarkdown(http.profile, 'Self time in the server child, request thread'), '');
      for (const thread of http.profile.threads ?? []) {
        const idle = thread.packages.find((p) => p.pkg === '(idle)')?.pct ?? 0;
        const top = thread.packages.filter((p) => p.pkg !== '(idle)').slice(0, 5).map((p) => `${p.pkg} ${p.pct}%`).join(', ');
        out.push(`- ${thread.label}: busy ${(100 - idle).toFixed(1)}% of ${thread.totalMs} ms sampled; ${top}.`);
      }
      if ((http.profile.threads ?? []).length > 0) out.push('');
    }
  }

  if (scan) {
    out.push('### Projection rebuild vs raw scan of the same log (same process, same run)', '');
    out.push(`Log: ${n(scan.head)} events (${n(scale?.disputes)} disputes) written by the scale section below; the file is in the OS page cache (just written).`, '');
    out.push('| pass | events | ms | events/s | target ≥ 100,000/s |', '|---|---:|---:|---:|---|');
    out.push(`| raw scan: \`SqliteEventStore.readAll\` pages of ${scan.page} (rows → StoredEvent, JSON.parse of data + metadata) | ${n(scan.events)} | ${n(scan.readAllMs)} | ${n(scan.readAllEventsPerSec)} | (baseline) |`);
    out.push(`| rows only (better-sqlite3 iterate, no JSON.parse) | ${n(scan.events)} | ${n(scan.rowsOnlyMs)} | ${n(scan.rowsOnlyPerSec)} | (baseline) |`);
    if (scan.rebuild.status === 'measured') {
      out.push(`| projection rebuild (rebuildProjections) | ${n(scan.rebuild.events)} | ${n(scan.rebuild.ms)} | ${n(scan.rebuild.eventsPerSec)} | ${ok(scan.rebuild.eventsPerSec >= TARGETS.rebuildPerSec)} |`);
      out.push('', `Rebuild ÷ raw scan: ${(scan.rebuild.eventsPerSec / scan.readAllEventsPerSec).toFixed(3)}.`);
    } else {
      out.push('| projection rebuild | — | — | — | pending the projection engine |');
      out.push('', `**Projection rebuild: pending the projection engine** (being rewritten by the lead). No number is reported until it exists. The benchmark calls \`${HOOK_SIGNATURE}\` (see bench/lib/rebuild-hook.js) as soon as dist/read-models/offline-rebuild.js exports it.`);
    }
    out.push('', `Scan process peak RSS (VmHWM): ${scan.peakRssMB} MB (readAll pass alone: ≤ ${scan.readAllMaxRssMB} MB sampled per page).`, '');
  }

  if (scale) {
    out.push(`### Scale: ${n(scale.disputes)} disputes × 10 events written through SqliteEventStore`, '');
    out.push(`${n(scale.openDisputes ?? 0)} of them open (assigned to ${n(scale.agents ?? 0)} agents), the rest closed. Bulk-importer style: ${scale.batchAppends} appends (one per new dispute stream, \`no_stream\`) queued per event-loop turn, so the store's group commit writes ${n(scale.eventsPerTransaction)} events per transaction, synchronous=FULL, hash chain computed per event. Own process.`, '');
    out.push('| disputes | events | write time | events/s | events.db (+wal) | bytes/event | peak RSS (VmHWM) | target peak RSS < 512 MB at 10M events | load before → after |', '|---:|---:|---:|---:|---:|---:|---:|---|---|');
    out.push(`| ${n(scale.disputes)} | ${n(scale.events)} | ${(scale.ms / 1000).toFixed(1)} s | ${n(scale.eventsPerSec)} | ${n(scale.fileMB)} MB | ${scale.bytesPerEvent} | ${scale.peakRssMB} MB | ${scale.events >= 10_000_000 ? ok(scale.peakRssMB < TARGETS.peakRssMB) : `not at 10M (needs \`--full\`); ${ok(scale.peakRssMB < TARGETS.peakRssMB)} at this size`} | ${fmtLoad(scale.loadBefore)} → ${fmtLoad(scale.loadAfter)} |`);
    out.push('', `Generating the events (real decider, templated ids) took ${n(scale.generationMs)} ms of that. Write rate as the log grew:`, '');
    out.push(`| events written | events/s over the last step | RSS MB |`, '|---:|---:|---:|');
    for (const p of scale.progress) out.push(`| ${n(p.events)} | ${n(p.eventsPerSec)} | ${p.rssMB} |`);
    out.push('');
  }

  if (reads) {
    out.push(`### Reads with many disputes (GET /api/v1/disputes/:id on the ${n(scale?.disputes)}-dispute log above)`, '');
    const c = reads.catchUp;
    if (scan?.rebuild?.keptAsReadStore) out.push('The server started on the read store the rebuild above produced (as after `npm run cli -- rebuild-projections`), so it had nothing left to catch up.', '');
    out.push(`Before timing reads the server caught its projections up with the imported log (${c.projections}; head ${n(c.head)}) in ${n(c.ms)} ms after a ${n(c.startMs)} ms start (slowest: ${n(c.eventsPerSec)} events/s: the live engine's catch-up, batch by batch, not the one-pass rebuild above). Server memory at the end: RSS ${c.memory.rssMB} MB, peak ${c.memory.peakRssMB} MB. Ids are a uniform sample of 5,000 disputes across the log.`, '');
    out.push(httpTable(reads.runs), '');
    out.push(reads.runs.map((r) => `- ${r.name}: p99 ${r.p99Ms} ms → target < 5 ms ${ok(r.p99Ms < TARGETS.readP99Ms)}`).join('\n'), '');
    if (scale?.openDisputes) out.push(`The log holds ${n(scale.openDisputes)} open disputes (in negotiation) spread over ${n(scale.agents)} agents; the rest are closed.`, '');
  }
  return out.join('\n');
}

const HEADER = `# Benchmarks (issue #7)

\`npm run bench\` builds, then runs \`node bench/run.js\`; each mode rewrites only its own section below.

| command | what | time |
|---|---|---|
| \`npm run bench -- --quick\` | 3 s per HTTP run, 5,000 disputes | < 1 min |
| \`npm run bench\` | 10 s per HTTP run, CPU profile of the file route when a target is missed, 100,000 disputes (1M events) | a few minutes |
| \`npm run bench -- --full\` | 30 s per HTTP run, 1,000,000 disputes (10M events, ~9 GB) | long (see the run's own time) |

Options: \`--only http,scale,reads\`, \`--profile\` / \`--no-profile\`, \`--disputes N\`, \`--seconds N\`.
\`node bench/cpuprofile-summary.js FILE.cpuprofile\` summarizes any \`node --cpu-prof\` profile.

Targets on these 2-core machines: durable commands ≥ 60% of the no-op validated POST and ≥ 3,000/s with
p99 < 50 ms; projection rebuild ≥ 100,000 events/s; reads p99 < 5 ms; peak RSS < 512 MB at 10M events.

These machines are noisy: other engineers run tests on the same 2 cores, so every run notes the load
average before and after. autocannon runs in the parent process and takes CPU from the server.
`;

function upsert(file, mode, section) {
  const start = `<!-- bench:${mode}:start -->`;
  const end = `<!-- bench:${mode}:end -->`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : `${HEADER}\n<!-- bench:full:start -->\n<!-- bench:full:end -->\n\n<!-- bench:default:start -->\n<!-- bench:default:end -->\n\n<!-- bench:quick:start -->\n<!-- bench:quick:end -->\n`;
  const block = `${start}\n${section.trim()}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  text = i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
}

module.exports = { render, upsert, TARGETS };
