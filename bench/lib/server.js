'use strict';
/** The built service (dist/main.js) as a child process, as production runs it. */
const { spawn } = require('node:child_process');
const { createServer } = require('node:net');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {{ dataDir: string, secret: string, cpuProfDir?: string, env?: object, startTimeoutMs?: number, root?: string }} options
 *   root: the checkout whose dist/main.js runs (default: this one; bench/ab.js compares two)
 */
async function startServer({ dataDir, secret, cpuProfDir, env = {}, startTimeoutMs = 30_000, root = ROOT }) {
  const port = await freePort();
  const args = ['-r', join(__dirname, 'child-preload.js')];
  if (cpuProfDir) args.push('--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`);
  args.push(join(root, 'dist', 'main.js'));
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), AUTH_JWT_SECRET: secret, LOG_LEVEL: 'silent', BENCH_NOOP_ROUTE: '1',
      // Rate limits (issue #6) would answer 429 to a load test from one user: off for the benchmark.
      RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_PER_MINUTE_PER_IP: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    try {
      const r = await fetch(`${baseUrl}/health`);
      await r.arrayBuffer();
      if (r.status === 200 || r.status === 503) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    child,
    baseUrl,
    port,
    stderr: () => stderr,
    /** VmRSS / VmHWM of the child, and its RSS split into anonymous and file-backed pages, in MB. */
    memory() {
      try {
        const status = require('node:fs').readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const mb = (name) => +(Number((new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status) ?? [])[1] ?? NaN) / 1024).toFixed(1);
        return { rssMB: mb('VmRSS'), peakRssMB: mb('VmHWM'), anonMB: mb('RssAnon'), fileMB: mb('RssFile') };
      } catch {
        return { rssMB: NaN, peakRssMB: NaN, anonMB: NaN, fileMB: NaN };
      }
    },
    /** SIGUSR2 → clean exit (writes --cpu-prof); SIGKILL after a grace period. */
    async stop(timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGUSR2');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

module.exports = { startServer, freePort, ROOT };
