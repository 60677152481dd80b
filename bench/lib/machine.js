'use strict';
/** Machine facts and load snapshots for BENCHMARKS.md. */
const { readFileSync } = require('node:fs');
const os = require('node:os');
const { execFileSync } = require('node:child_process');

function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':').slice(1).join(':').trim();
  } catch {
    /* not Linux */
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function machine() {
  return {
    cpu: cpuModel(),
    cores: os.cpus().length,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}

/** 1/5/15-minute load averages, plus the busiest other processes (other engineers share these 2 cores). */
function load() {
  const [one, five, fifteen] = os.loadavg().map((v) => +v.toFixed(2));
  let busiest = '';
  try {
    busiest = execFileSync('ps', ['-eo', 'pcpu=,comm=', '--sort=-pcpu'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(0, 3)
      .join('; ');
  } catch {
    /* ps missing */
  }
  return { one, five, fifteen, at: new Date().toISOString(), busiest };
}

const fmtLoad = (l) => `${l.one} / ${l.five} / ${l.fifteen}`;

module.exports = { machine, load, fmtLoad };
