'use strict';
/**
 * Summarizes a V8 .cpuprofile (node --cpu-prof): self time per function and per package.
 *   node bench/cpuprofile-summary.js FILE.cpuprofile [--top 25]
 * Self time = the sampled time spent in the function's own code (not in what it calls).
 */
const { readFileSync } = require('node:fs');

function where(url) {
  if (!url) return '(native/V8)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node core';
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return `casetrail ${url.slice(dist + 6).split('/').slice(0, -1).join('/') || '.'}`;
  return url.replace(/^file:\/\//, '');
}

function summarize(profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map(); // node id → µs
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) self.set(samples[i], (self.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fns = new Map();
  const pkgs = new Map();
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id);
    const name = callFrame.functionName || '(anonymous)';
    const file = callFrame.url ? callFrame.url.replace(/^.*\/(node_modules|dist)\//, '$1/') : '';
    const key = `${name}  ${file}${file ? `:${callFrame.lineNumber + 1}` : ''}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const pkg = ['(garbage collector)', '(idle)', '(program)'].includes(name) ? name : where(callFrame.url);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const pct = (us) => +((100 * us) / total).toFixed(1);
  const sort = (m) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: Math.round(total / 1000),
    functions: sort(fns).slice(0, top).map(([fn, us]) => ({ fn, ms: Math.round(us / 1000), pct: pct(us) })),
    packages: sort(pkgs).slice(0, 15).map(([pkg, us]) => ({ pkg, ms: Math.round(us / 1000), pct: pct(us) })),
  };
}

function toMarkdown(summary, heading = 'CPU profile') {
  const lines = [`${heading} (${summary.totalMs} ms sampled)`, '', '| where (self time) | ms | % |', '|---|---:|---:|'];
  for (const p of summary.packages) lines.push(`| ${p.pkg} | ${p.ms} | ${p.pct} |`);
  lines.push('', '| top functions by self time | ms | % |', '|---|---:|---:|');
  for (const f of summary.functions) lines.push(`| \`${f.fn.replace(/\|/g, '\\|')}\` | ${f.ms} | ${f.pct} |`);
  return lines.join('\n');
}

if (require.main === module) {
  const file = process.argv[2];
  const topIdx = process.argv.indexOf('--top');
  const top = topIdx > 0 ? Number(process.argv[topIdx + 1]) : 25;
  if (!file) {
    process.stderr.write('usage: node bench/cpuprofile-summary.js FILE.cpuprofile [--top N]\n');
    process.exit(2);
  }
  process.stdout.write(`${toMarkdown(summarize(JSON.parse(readFileSync(file, 'utf8')), top))}\n`);
}

module.exports = { summarize, toMarkdown };
