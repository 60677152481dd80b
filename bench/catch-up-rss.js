'use strict';
/**
 * The server's memory while it catches its projections up with an imported log, sampled every 2 s:
 *   node bench/scale.js write --dir DIR --disputes N [--open-every K]   (the log, once)
 *   cp -r DIR COPY && node bench/catch-up-rss.js COPY                  (a copy: the run writes read models there)
 * One JSON line per sample (seconds, `server.memory()`: RSS, peak (VmHWM), anonymous and file-backed RSS; the slowest projection's
 * position and every projection's lag), then DONE with the total time, the final memory and the load average.
 * Run `npm run build` first: it starts dist/main.js as bench/lib/server.js does.
 */
const { readFileSync } = require('node:fs');
const { startServer } = require('./lib/server');
const { newSecret } = require('./lib/jwt');

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: node bench/catch-up-rss.js DATA_DIR');

(async () => {
  const server = await startServer({ dataDir, secret: newSecret(), startTimeoutMs: 300_000 });
  const t0 = Date.now();
  try {
    for (;;) {
      const health = await (await fetch(`${server.baseUrl}/health`)).json();
      const projections = health.projections ?? [];
      const failed = projections.find((p) => p.error);
      if (failed) throw new Error(`projection ${failed.name} failed: ${failed.error}`);
      const slowest = Math.min(...projections.map((p) => p.position));
      const lags = projections.map((p) => `${p.name}:${p.lagEvents}`).join(' ');
      process.stdout.write(`${JSON.stringify({ s: Math.round((Date.now() - t0) / 1000), ...server.memory(), slowest, lags })}\n`);
      if (projections.length > 0 && projections.every((p) => p.lagEvents === 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    const load = readFileSync('/proc/loadavg', 'utf8').trim();
    process.stdout.write(`DONE ${JSON.stringify({ ms: Date.now() - t0, ...server.memory(), load })}\n`);
  } finally {
    await server.stop();
  }
})().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
