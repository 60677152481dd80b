/**
 * Static checks of the deployment files (no Docker engine needed): docker-compose.yml wiring,
 * the Dockerfile's stages and .dockerignore.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { haproxyConfig } from '../../support/cluster';

const ROOT = join(__dirname, '..', '..', '..');
const COMPOSE_PATH = join(ROOT, 'docker-compose.yml');
const DOCKERFILE_PATH = join(ROOT, 'Dockerfile');
const DOCKERIGNORE_PATH = join(ROOT, '.dockerignore');

type Env = Record<string, string>;
interface DependsOnLong {
  condition?: string;
  required?: boolean;
}
interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  profiles?: string[];
  environment?: Env | string[];
  ports?: (string | { target: number; published?: string | number })[];
  volumes?: (string | { type?: string; source?: string; target: string })[];
  depends_on?: string[] | Record<string, DependsOnLong>;
  healthcheck?: Healthcheck;
  deploy?: { replicas?: number };
  container_name?: string;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** Compose-style interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err}, $$. */
function interpolate(value: string, env: Env): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (match, name, colon, op, arg) => {
    if (match === '$$') return '$';
    const set = Object.prototype.hasOwnProperty.call(env, name);
    const usable = colon ? set && env[name] !== '' : set;
    if (op === '-') return usable ? env[name] : arg;
    if (op === '?') {
      if (!usable) throw new Error(`required variable ${name} is missing: ${arg}`);
      return env[name];
    }
    return set ? env[name] : '';
  });
}

const compose: Compose = parse(readFileSync(COMPOSE_PATH, 'utf8'), { merge: true });
const services = compose.services;
/** Values an operator must supply; everything else should fall back to the file's defaults. */
const REQUIRED_ENV: Env = { AUTH_JWT_SECRET: 'test-secret', PRIVACY_MASTER_KEY: 'mk', PSEUDONYM_KEY: 'pk' };

function envOf(name: string, env: Env = REQUIRED_ENV): Env {
  const raw = services[name].environment ?? {};
  const pairs: [string, string][] = Array.isArray(raw)
    ? raw.map((entry) => {
        const i = entry.indexOf('=');
        return [entry.slice(0, i), entry.slice(i + 1)];
      })
    : Object.entries(raw).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]);
  return Object.fromEntries(pairs.map(([k, v]) => [k, interpolate(v, env)]));
}

function dependsOn(name: string): Record<string, DependsOnLong> {
  const raw = services[name].depends_on ?? {};
  return Array.isArray(raw) ? Object.fromEntries(raw.map((s) => [s, { condition: 'service_started' }])) : raw;
}

function healthTest(name: string): string {
  const hc = services[name].healthcheck;
  if (!hc || hc.disable || !hc.test) return '';
  return Array.isArray(hc.test) ? hc.test.join(' ') : hc.test;
}

function namedVolumes(name: string): { source: string; target: string }[] {
  return (services[name].volumes ?? []).flatMap((v) => {
    if (typeof v === 'string') {
      const [source, target] = v.split(':');
      if (!target || source.startsWith('.') || source.startsWith('/') || source.startsWith('~')) return [];
      return [{ source, target }];
    }
    return (v.type ?? 'volume') === 'volume' && v.source ? [{ source: v.source, target: v.target }] : [];
  });
}

const isDefault = (name: string) => !services[name].profiles || services[name].profiles!.length === 0;
const kurrentServices = Object.keys(services).filter((n) => /kurrentdb/.test(services[n].image ?? ''));
const clusterNodes = Object.keys(services).filter((n) => services[n].profiles?.includes('cluster'));
const singleNode = kurrentServices.find(isDefault)!;

describe('docker-compose.yml', () => {
  it('declares the stores and the app', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['kurrentdb', 'postgres', 'app']));
    expect(singleNode).toBe('kurrentdb');
  });

  it('uses the documented images with pinned tags', () => {
    for (const name of kurrentServices) {
      expect(services[name].image).toMatch(/^docker\.kurrent\.io\/kurrent-(latest|lts)\/kurrentdb:[\w.-]+$/);
      expect(services[name].image).not.toMatch(/:latest$/);
    }
    expect(new Set(kurrentServices.map((n) => services[n].image)).size).toBe(1);
    expect(services.postgres.image).toMatch(/^postgres:\d+/);
  });

  it('runs a single insecure KurrentDB node by default', () => {
    expect(isDefault('kurrentdb')).toBe(true);
    const env = envOf('kurrentdb');
    expect(env.KURRENTDB_INSECURE).toBe('true');
    expect(env.KURRENTDB_CLUSTER_SIZE ?? '1').toBe('1');
    expect(env.KURRENTDB_RUN_PROJECTIONS).toBe('All');
    // Options removed in 24.2/25.0 stop the server from starting.
    for (const removed of ['ENABLE_EXTERNAL_TCP', 'EXT_TCP_PORT', 'EXT_IP', 'INT_IP', 'HTTP_PORT', 'GOSSIP_ON_SINGLE_NODE']) {
      expect(Object.keys(env).filter((k) => k.endsWith(`_${removed}`))).toEqual([]);
    }
    expect(namedVolumes('kurrentdb').map((v) => v.target)).toContain('/var/lib/kurrentdb');
  });

  describe('cluster profile', () => {
    it('has exactly three KurrentDB nodes, none started by default', () => {
      expect(clusterNodes).toHaveLength(3);
      for (const node of clusterNodes) {
        expect(services[node].profiles).toEqual(['cluster']);
        expect(kurrentServices).toContain(node);
      }
    });

    it('agrees on the cluster size and uses gossip seeds instead of DNS discovery', () => {
      for (const node of clusterNodes) {
        const env = envOf(node);
        expect(Number(env.KURRENTDB_CLUSTER_SIZE)).toBe(clusterNodes.length);
        expect(env.KURRENTDB_DISCOVER_VIA_DNS).toBe('false');
        expect(env.KURRENTDB_INSECURE).toBe(envOf('kurrentdb').KURRENTDB_INSECURE);
      }
    });

    it('seeds every node with exactly the other nodes on the HTTP/gRPC port', () => {
      for (const node of clusterNodes) {
        const seeds = envOf(node)
          .KURRENTDB_GOSSIP_SEED.split(',')
          .map((s) => s.trim());
        const expected = clusterNodes.filter((n) => n !== node).map((n) => `${n}:2113`);
        expect(seeds.sort()).toEqual(expected.sort());
      }
    });

    it('gives each node its own data volume', () => {
      const dataVolumes = clusterNodes.map((n) => namedVolumes(n).find((v) => v.target === '/var/lib/kurrentdb')?.source);
      expect(dataVolumes.every(Boolean)).toBe(true);
      expect(new Set(dataVolumes).size).toBe(clusterNodes.length);
      expect(dataVolumes).not.toContain(namedVolumes('kurrentdb').find((v) => v.target === '/var/lib/kurrentdb')!.source);
    });

    it('publishes no host ports that could clash with the single node', () => {
      for (const node of clusterNodes) expect(services[node].ports ?? []).toEqual([]);
    });
  });

  it('runs PostgreSQL with the casetrail database on the volume the image version expects', () => {
    const env = envOf('postgres');
    expect(env.POSTGRES_DB).toBe('casetrail');
    expect(env.POSTGRES_PASSWORD).toBeTruthy();
    const major = Number(/^postgres:(\d+)/.exec(services.postgres.image!)![1]);
    // 18+ images moved PGDATA under /var/lib/postgresql/<major>/docker and the VOLUME to /var/lib/postgresql.
    const expectedTarget = major >= 18 ? '/var/lib/postgresql' : '/var/lib/postgresql/data';
    expect(namedVolumes('postgres').map((v) => v.target)).toContain(expectedTarget);
    if (env.PGDATA) expect(env.PGDATA.startsWith(expectedTarget)).toBe(true);
  });

  describe('app', () => {
    it('is built from the repository Dockerfile and runs three replicas', () => {
      const build = services.app.build;
      const context = typeof build === 'string' ? build : build?.context;
      const dockerfile = typeof build === 'object' ? (build.dockerfile ?? 'Dockerfile') : 'Dockerfile';
      expect(context).toBe('.');
      expect(existsSync(join(ROOT, context!, dockerfile))).toBe(true);
      expect(services.app.deploy?.replicas).toBe(3);
      expect(services.app.container_name).toBeUndefined();
    });

    it('does not pin one host port for several replicas', () => {
      const replicas = services.app.deploy!.replicas!;
      for (const port of services.app.ports ?? []) {
        const published =
          typeof port === 'string'
            ? port.split(':').length > 1
              ? port.split(':').slice(-2)[0]
              : undefined
            : port.published === undefined
              ? undefined
              : String(port.published);
        if (published === undefined) continue; // ephemeral host port
        const [lo, hi = lo] = published.split('-').map(Number);
        expect(hi - lo + 1).toBeGreaterThanOrEqual(replicas);
      }
    });

    it('selects EventStoreDB/KurrentDB for events and PostgreSQL for read models', () => {
      const env = envOf('app');
      expect(env.EVENT_STORE).toBe('eventstoredb');
      expect(env.READ_STORE).toBe('postgres');
      expect(env.PORT ?? '3000').toBe('3000');
    });

    it('connects to the single KurrentDB service on 2113 with TLS matching the insecure node', () => {
      const url = new URL(envOf('app').EVENTSTORE_CONNECTION_STRING);
      expect(url.protocol).toBe('esdb:');
      expect(url.hostname).toBe(singleNode);
      expect(url.port || '2113').toBe('2113');
      expect(envOf(singleNode).KURRENTDB_INSECURE).toBe('true');
      expect(url.searchParams.get('tls')).toBe('false');
    });

    it('connects to the postgres service with the credentials and database it creates', () => {
      for (const env of [REQUIRED_ENV, { ...REQUIRED_ENV, POSTGRES_PASSWORD: 's3cret' }]) {
        const url = new URL(envOf('app', env).DATABASE_URL);
        const pg = envOf('postgres', env);
        expect(url.protocol).toMatch(/^postgres(ql)?:$/);
        expect(url.hostname).toBe('postgres');
        expect(url.port || '5432').toBe('5432');
        expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
        expect(decodeURIComponent(url.username)).toBe(pg.POSTGRES_USER ?? 'postgres');
        expect(decodeURIComponent(url.password)).toBe(pg.POSTGRES_PASSWORD);
      }
    });

    it("gives the replicas one shared store for the customers' data keys, beside EventStoreDB (issue 13)", () => {
      const env = envOf('app');
      expect(env.EVENT_STORE).toBe('eventstoredb');
      expect(env.DATA_KEYS_DATABASE_URL).toMatch(/^postgres:\/\/.+@postgres:5432\//);
    });

    it('requires the keys the replicas must share from the environment (issue 13)', () => {
      for (const name of ['PRIVACY_MASTER_KEY', 'PSEUDONYM_KEY']) {
        expect((services.app.environment as Env)[name]).toMatch(new RegExp(`^\\$\\{${name}:\\?.+\\}$`));
        expect(() => envOf('app', { ...REQUIRED_ENV, [name]: '' })).toThrow(new RegExp(name));
      }
    });

    it('requires AUTH_JWT_SECRET from the environment', () => {
      const raw = (services.app.environment as Env).AUTH_JWT_SECRET;
      expect(raw).toMatch(/^\$\{AUTH_JWT_SECRET:\?.+\}$/);
      expect(() => envOf('app', {})).toThrow(/AUTH_JWT_SECRET/);
      expect(() => envOf('app', { ...REQUIRED_ENV, AUTH_JWT_SECRET: '' })).toThrow(/AUTH_JWT_SECRET/);
      expect(envOf('app', { ...REQUIRED_ENV, AUTH_JWT_SECRET: 'abc' }).AUTH_JWT_SECRET).toBe('abc');
    });

    it('waits for healthy stores, and only for services started by default', () => {
      const deps = dependsOn('app');
      expect(deps.kurrentdb?.condition).toBe('service_healthy');
      expect(deps.postgres?.condition).toBe('service_healthy');
      for (const [dep, spec] of Object.entries(deps)) {
        expect(services[dep]).toBeDefined();
        expect(isDefault(dep)).toBe(true);
        if (spec.condition === 'service_healthy') expect(healthTest(dep)).not.toBe('');
      }
    });

    it('probes /health on the app port', () => {
      expect(healthTest('app')).toMatch(/\/health\b/);
      expect(healthTest('app')).toContain(':3000');
    });
  });

  describe('haproxy (issue 19)', () => {
    const config = readFileSync(join(ROOT, 'deploy', 'haproxy.cfg'), 'utf8');

    it('is the single entry point, on the official image with the repository configuration mounted', () => {
      expect(services.haproxy.image).toMatch(/^haproxy:2\.\d+$/);
      expect(services.haproxy.volumes).toContain('./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
      expect(services.haproxy.ports).toEqual(['3000:3000']);
      expect(services.app.ports ?? []).toEqual([]);
      expect(dependsOn('haproxy').app?.condition).toBe('service_healthy');
    });

    it('checks /health, redispatches refused connections, and has a slot per replica', () => {
      expect(config).toMatch(/option httpchk GET \/health/);
      expect(config).toMatch(/http-check expect status 200/);
      expect(config).toMatch(/option redispatch/);
      expect(config).toMatch(/^\s*retries [1-9]/m);
      expect(config).toMatch(/retry-on conn-failure\s*$/m); // never a request an instance may have executed
      const slots = Number(/server-template app (\d+) app:3000 check/.exec(config)?.[1]);
      expect(slots).toBeGreaterThanOrEqual(services.app.deploy!.replicas!);
      expect(config).toMatch(/bind :3000/);
    });

    it('has the defaults and checks the kill test runs (test/support/cluster.js)', () => {
      const tested = haproxyConfig(3000, [{ name: 'app1', port: 3001 }])
        .split('\n')
        .map((l) => l.trim());
      const section = (name: string) => config.split(/^(?=\S)/m).find((s) => s.startsWith(name))!;
      const lines = (text: string) =>
        text
          .split('\n')
          .slice(1)
          .map((l) => l.trim())
          .filter((l) => l && !l.startsWith('#'));
      for (const line of [
        ...lines(section('defaults')),
        ...lines(section('backend app')).filter((l) => !/^(server-template|default-server)/.test(l)),
      ])
        expect(tested).toContain(line);
      const timing = (text: string) => /default-server (inter \S+ fastinter \S+ downinter \S+ fall \d+ rise \d+)/.exec(text)?.[1];
      expect(timing(tested.join('\n'))).toBe(timing(config));
    });
  });

  it('has a health check on every service', () => {
    for (const name of Object.keys(services)) expect(healthTest(name)).not.toBe('');
    for (const name of kurrentServices) expect(healthTest(name)).toMatch(/:2113\/health\/live/);
    expect(healthTest('postgres')).toMatch(/pg_isready/);
    // TCP probe: the init-time temporary server listens on the unix socket only.
    expect(healthTest('postgres')).toMatch(/-h 127\.0\.0\.1|--host[= ]127\.0\.0\.1/);
  });

  it('keeps every store on a named, top-level volume that no other service shares', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const stateful = [...kurrentServices, 'postgres'];
    const owner = new Map<string, string>();
    for (const name of Object.keys(services)) {
      for (const { source } of namedVolumes(name)) {
        expect(declared).toContain(source);
        expect(owner.get(source) ?? name).toBe(name);
        owner.set(source, name);
      }
    }
    for (const name of stateful) expect(namedVolumes(name).length).toBeGreaterThan(0);
    for (const vol of declared) expect(owner.has(vol)).toBe(true);
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(DOCKERFILE_PATH, 'utf8');
  // Join continuation lines, drop comments and blanks.
  const instructions = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [, op, args] = /^(\S+)\s*(.*)$/.exec(l)!;
      return { op: op.toUpperCase(), args };
    });
  const stages: { from: string; name?: string; body: { op: string; args: string }[] }[] = [];
  for (const ins of instructions) {
    if (ins.op === 'FROM') {
      const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(ins.args)!;
      stages.push({ from: image, name, body: [] });
    } else if (stages.length) {
      stages[stages.length - 1].body.push(ins);
    }
  }
  const builder = stages[0];
  const runtime = stages[stages.length - 1];
  const runs = (stage: typeof builder) =>
    stage.body
      .filter((i) => i.op === 'RUN')
      .map((i) => i.args)
      .join(' && ');

  it('is multi-stage on node:20-bookworm-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.from).toBe('node:20-bookworm-slim');
    expect(builder.name).toBeTruthy();
  });

  it('builds with the native toolchain, npm ci, npm run build, then drops dev dependencies', () => {
    const r = runs(builder);
    for (const pkg of ['python3', 'make', 'g++']) expect(r).toContain(pkg);
    expect(r).toMatch(/npm ci\b/);
    expect(r).toMatch(/npm run build\b/);
    expect(r).toMatch(/npm prune --(omit=dev|production)/);
    expect(r.indexOf('npm ci')).toBeLessThan(r.indexOf('npm run build'));
    expect(r.indexOf('npm run build')).toBeLessThan(r.indexOf('npm prune'));
  });

  it('copies node_modules and dist from the builder into the runtime', () => {
    const copies = runtime.body.filter((i) => i.op === 'COPY').map((i) => i.args);
    expect(copies.some((c) => c.includes(`--from=${builder.name}`) && c.includes('node_modules'))).toBe(true);
    expect(copies.some((c) => c.includes(`--from=${builder.name}`) && /\bdist\b/.test(c))).toBe(true);
  });

  it('runs as the non-root node user in production mode', () => {
    const users = runtime.body.filter((i) => i.op === 'USER').map((i) => i.args.trim());
    expect(users[users.length - 1]).toBe('node');
    const envs = runtime.body
      .filter((i) => i.op === 'ENV')
      .map((i) => i.args)
      .join(' ');
    expect(envs).toMatch(/NODE_ENV=production/);
    expect(runtime.body.find((i) => i.op === 'EXPOSE')?.args).toMatch(/\b3000\b/);
  });

  it('starts node dist/main.js', () => {
    const cmds = runtime.body.filter((i) => i.op === 'CMD');
    expect(JSON.parse(cmds[cmds.length - 1].args)).toEqual(['node', 'dist/main.js']);
  });
});

describe('.dockerignore', () => {
  it('keeps host build output, state and VCS data out of the context', () => {
    const entries = readFileSync(DOCKERIGNORE_PATH, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const e of ['node_modules', 'dist', 'data', '.git', 'coverage']) expect(entries).toContain(e);
  });

  it('does not exclude what the builder copies', () => {
    const entries = readFileSync(DOCKERIGNORE_PATH, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim());
    for (const f of ['src', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) {
      expect(entries).not.toContain(f);
    }
  });

  it('keeps evidence files in the shared S3-compatible store (MinIO), not per replica (issue 15)', () => {
    const env = envOf('app');
    expect(env.BLOB_STORE).toBe('s3');
    expect(new URL(env.S3_ENDPOINT).hostname).toBe('minio');
    expect(env.S3_BUCKET).toBeTruthy();
    expect(services.minio.image).toMatch(/^minio\/minio:RELEASE\./);
    expect(Object.keys(services.app.depends_on ?? {})).toContain('minio');
  });
});
