'use strict';
/**
 * A multi-instance deployment on one machine (issue 19, item 2): a database of its own on the machine's
 * PostgreSQL (the log and the read models: EVENT_STORE=postgres, READ_STORE=postgres), N instances of the
 * built service (`node dist/main.js`, each with its own PORT and DATA_DIR, the same JWT secret, audit signing
 * key and pseudonym key), and a load balancer in front: HAProxy when `haproxy` is installed (Debian's package;
 * `.ci/run` installs it), else a small Node proxy with the same behaviour (health checks on /health, a
 * connection refused is retried on another instance). `proxy` on the result says which one ran.
 *
 * Used by test/cluster/cluster-kill.e2e.spec.ts and bench/cluster.js. Plain CommonJS so the benchmark can
 * load it without a TypeScript build; cluster.d.ts gives the tests its types.
 */
const { spawn, spawnSync } = require('node:child_process');
const { generateKeyPairSync, randomBytes } = require('node:crypto');
const { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const http = require('node:http');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');
const { freePort } = require('../../bench/lib/server');

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'main.js');
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function adminQuery(sql) {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The same server as ADMIN_URL, another database. */
function databaseUrl(name) {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

function which(command) {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/** HAProxy's configuration: round robin, /health checks, connection failures redispatched to another server. */
function haproxyConfig(port, backends) {
  return [
    'global',
    '  maxconn 4096',
    '  log stderr format short local0 notice',
    'defaults',
    '  mode http',
    '  log global',
    '  option log-health-checks',
    '  timeout connect 500ms',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout http-request 10s',
    // A check waits up to 2 s: on two loaded cores a healthy instance can take longer than the interval to answer.
    '  timeout check 2s',
    // Only a connection that never reached an instance is retried (on another one: redispatch): a request an
    // instance may have executed before dying is answered 502/503 and left to the client's Idempotency-Key.
    '  retries 3',
    '  retry-on conn-failure',
    '  option redispatch 1',
    'frontend casetrail',
    `  bind 127.0.0.1:${port}`,
    '  default_backend app',
    'backend app',
    '  balance roundrobin',
    '  option httpchk GET /health',
    '  http-check expect status 200',
    // Which instance answered (the tests replay idempotency keys against another one).
    '  http-response set-header X-Casetrail-Instance %[srv_name]',
    // No `on-marked-down shutdown-sessions`: it cuts requests in flight on an instance that is only draining
    // (503 from SIGTERM on), and on a dead one they fail by themselves (502).
    // A dead instance refuses connections: its checks fail at once and the requests meanwhile are redispatched.
    '  default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 2',
    ...backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check`),
    '',
  ].join('\n');
}

async function startHaproxy(dir, port, backends) {
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(cfg, haproxyConfig(port, backends));
  const check = spawnSync('haproxy', ['-c', '-q', '-f', cfg], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy.cfg refused: ${check.stderr}${check.stdout}`);
  const version = spawnSync('haproxy', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0].trim();
  const logFd = openSync(join(dir, 'haproxy.log'), 'a');
  const child = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  return { kind: version, configPath: cfg, child, stop: () => stopChild(child, 'SIGTERM') };
}

/** The fallback: round robin over the instances /health calls ready, a refused connection tried on the next. */
async function startNodeProxy(port, backends) {
  const ready = new Map(backends.map((b) => [b.name, false]));
  let next = 0;
  const probe = async () => {
    await Promise.all(
      backends.map(async (b) => {
        try {
          const r = await fetch(`http://127.0.0.1:${b.port}/health`, { signal: AbortSignal.timeout(1000) });
          await r.arrayBuffer();
          ready.set(b.name, r.status === 200);
        } catch {
          ready.set(b.name, false);
        }
      }),
    );
  };
  const timer = setInterval(() => void probe(), 250);
  await probe();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const attempt = (tries) => {
        const up = backends.filter((b) => ready.get(b.name));
        if (up.length === 0 || tries > 3) {
          res.writeHead(503, { 'content-type': 'text/plain' }).end('no instance available');
          return;
        }
        const backend = up[next++ % up.length];
        const upstream = http.request(
          { host: '127.0.0.1', port: backend.port, method: req.method, path: req.url, headers: { ...req.headers, connection: 'close' } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-casetrail-instance': backend.name });
            answer.pipe(res);
          },
        );
        upstream.on('error', (error) => {
          if (error.code === 'ECONNREFUSED') {
            ready.set(backend.name, false);
            attempt(tries + 1); // never reached the instance: safe to send elsewhere
          } else if (!res.headersSent) {
            res.writeHead(502, { 'content-type': 'text/plain' }).end('instance failed');
          } else res.destroy();
        });
        upstream.end(body);
      };
      attempt(0);
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    kind: 'node proxy (test/support/cluster.js)',
    configPath: null,
    child: null,
    stop: async () => {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function stopChild(child, signal = 'SIGKILL') {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

async function waitReady(baseUrl, child, logPath, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${baseUrl} exited with ${child.exitCode}: ${tail(logPath)}`);
    try {
      const r = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2000) });
      await r.arrayBuffer();
      if (r.status === 200) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${baseUrl} not ready in ${timeoutMs} ms: ${tail(logPath)}`);
    await sleep(150);
  }
}

function tail(path, chars = 2000) {
  try {
    return readFileSync(path, 'utf8').slice(-chars);
  } catch {
    return '';
  }
}

/**
 * @param {{ instances?: number, env?: Record<string,string>, proxy?: 'auto'|'haproxy'|'node', secret: string,
 *   startTimeoutMs?: number, logLevel?: string, databaseSettings?: Record<string,string> }} options
 */
async function startCluster(options) {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  const count = options.instances ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-cluster-'));
  const database = `casetrail_cluster_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${database}`);
  // Diagnostics only (e.g. bench/cluster.js --pg-setting synchronous_commit=off): settings of this database alone.
  for (const [name, value] of Object.entries(options.databaseSettings ?? {})) {
    if (!/^[a-z_]+$/.test(name) || !/^[\w.]+$/.test(value)) throw new Error(`bad database setting ${name}=${value}`);
    await adminQuery(`ALTER DATABASE ${database} SET ${name} = '${value}'`);
  }
  const url = databaseUrl(database);
  const { privateKey } = generateKeyPairSync('ed25519');
  const shared = {
    EVENT_STORE: 'postgres',
    READ_STORE: 'postgres',
    DATABASE_URL: url,
    AUTH_JWT_SECRET: options.secret,
    AUDIT_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    PSEUDONYM_KEY: randomBytes(32).toString('hex'),
    // The customers' data keys (issue 13) are wrapped by one master key that every instance must share.
    PRIVACY_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: options.logLevel ?? 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_PER_MINUTE_PER_IP: '0',
    SLA_SCHEDULER_INTERVAL_MS: '250',
    ...(options.env ?? {}),
  };
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;

  const instances = [];
  for (let i = 1; i <= count; i++) {
    const name = `app${i}`;
    const port = await freePort();
    const dataDir = join(dir, name);
    mkdirSync(dataDir);
    const logPath = join(dir, `${name}.log`);
    const instance = {
      name,
      port,
      dataDir,
      logPath,
      baseUrl: `http://127.0.0.1:${port}`,
      child: null,
      starts: 0,
      alive: () => instance.child !== null && instance.child.exitCode === null && instance.child.signalCode === null,
      async start() {
        const fd = openSync(logPath, 'a');
        writeFileSync(fd, `--- start ${++instance.starts} at ${new Date().toISOString()}\n`);
        instance.child = spawn(process.execPath, [MAIN], {
          cwd: ROOT,
          env: { ...process.env, ...shared, PORT: String(port), DATA_DIR: dataDir },
          stdio: ['ignore', fd, fd],
        });
        closeSync(fd);
        await waitReady(instance.baseUrl, instance.child, logPath, startTimeoutMs);
      },
      /** SIGKILL by default: no shutdown hook runs, PostgreSQL drops its sessions (and advisory locks). */
      async kill(signal = 'SIGKILL') {
        if (instance.child) await stopChild(instance.child, signal);
      },
      async restart() {
        await instance.kill();
        await instance.start();
      },
      log: () => tail(logPath, 1e7),
    };
    instances.push(instance);
  }
  const stopAll = async () => Promise.all(instances.map((i) => i.kill()));
  let proxy;
  try {
    // Started together, as a deployment does: the log's schema creation is serialised by an advisory lock.
    await Promise.all(instances.map((i) => i.start()));
    const port = await freePort();
    const wanted = options.proxy ?? 'auto';
    const haproxy = wanted !== 'node' && which('haproxy');
    if (wanted === 'haproxy' && !haproxy) throw new Error('haproxy is not installed (apt-get install -y haproxy)');
    proxy = haproxy ? await startHaproxy(dir, port, instances) : await startNodeProxy(port, instances);
    proxy.url = `http://127.0.0.1:${port}`;
    await waitLbReady(proxy.url);
  } catch (error) {
    await stopAll();
    await proxy?.stop();
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: proxy.url,
    proxy: proxy.kind,
    proxyConfig: proxy.configPath ? readFileSync(proxy.configPath, 'utf8') : null,
    databaseUrl: url,
    database,
    dir,
    sharedEnv: shared,
    instances,
    instance: (name) => instances.find((i) => i.name === name),
    /** Stops everything, drops the database and removes the folder (keepDir: leave the logs for a look). */
    async stop({ keepDir = false } = {}) {
      await proxy.stop();
      await stopAll();
      await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
      if (!keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitLbReady(url) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      await r.arrayBuffer();
      if (r.status === 200) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`load balancer at ${url} not ready`);
    await sleep(150);
  }
}

module.exports = { startCluster, haproxyConfig, ADMIN_URL };
