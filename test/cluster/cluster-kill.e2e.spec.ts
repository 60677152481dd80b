import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { AppConfig } from '../../src/config/app-config';
import { PostgresEventStore } from '../../src/event-store/postgres-event-store';
import { personalDataLog } from '../../src/privacy/protect-log';
import { PROJECTIONS } from '../../src/read-models/registry';
import { rebuildProjectionsTogether } from '../../src/read-side/engine/rebuild';
import { migrateReadStore } from '../../src/read-side/store/migrations';
import { openPostgresReadStore, ReadStore } from '../../src/read-side/store/read-store';
import { SlaPolicyRegistry } from '../../src/sla/application/sla-policy.registry';
import { derivedId } from '../../src/shared/ids';
import { DEFAULT_SLA_POLICY } from '../../src/sla/domain/sla-policy';
import { ensureBuilt } from '../support/child-server';
import { Cluster, ClusterInstance, startCluster } from '../support/cluster';
import { fileBody, TEST_SECRET, tokenFor } from '../support/http-client';
import { withSearchPath } from '../support/read-stores';

/**
 * Issue 19, item 2: three instances on the PostgreSQL event and read stores behind HAProxy (or the Node
 * fallback, see test/support/cluster.js), the six roles' journey under concurrent load through the balancer
 * while instances are SIGKILLed and restarted (the projections' leader among them). Then: every acknowledged
 * command is in the log exactly once, the read models equal a rebuild from the log, every due breach fired
 * once, idempotency keys answer the same on every instance, and every instance is healthy.
 */
jest.setTimeout(240_000);

const LOAD_MS = Number(process.env.CLUSTER_LOAD_MS ?? 40_000);
const WORKERS = Number(process.env.CLUSTER_WORKERS ?? 8);
/** An instance is killed every UP_MS after the previous one is back, and stays down DOWN_MS. */
const UP_MS = 4_000;
const DOWN_MS = 2_000;

type Role = 'agent' | 'supervisor' | 'manager' | 'auditor' | 'analyst' | 'admin';
const users = (role: Role, sub: string) => ({ sub, token: tokenFor(role, sub) });
const SUPERVISOR = users('supervisor', 'sup-c');
const MANAGER = users('manager', 'mgr-c');
const AUDITOR = users('auditor', 'aud-c');
const ANALYST = users('analyst', 'ana-c');
const ADMIN = users('admin', 'adm-c');
/** Chat gets a 3 s first-response target: the disputes left unanswered breach while instances die. */
const BREACH_AFTER_MS = 3000;
const POLICY = {
  ...DEFAULT_SLA_POLICY,
  firstResponse: { ...DEFAULT_SLA_POLICY.firstResponse, chat: { target: 'PT3S', clock: 'calendar' } },
};

interface Acked {
  actor: string;
  key: string;
  method: string;
  path: string;
  body: unknown;
  status: number;
  response: any;
  instance: string;
  attempts: number;
}
interface StoredRow {
  position: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

const PERIOD = `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 86_400_000).toISOString()}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('three instances behind a load balancer, killed and restarted under load', () => {
  let cluster: Cluster;
  const acked: Acked[] = [];
  const refused: string[] = [];
  const failures: Record<string, number> = {};
  const kills: string[] = [];
  const breachCandidates: { id: string; filedAt: number }[] = [];
  let keepLogs = false;
  let finished = false;
  let killing: Promise<void> | undefined;

  beforeAll(async () => {
    ensureBuilt();
    cluster = await startCluster({ secret: TEST_SECRET, proxy: (process.env.CLUSTER_PROXY as 'haproxy' | 'node' | undefined) ?? 'auto' });
  });
  afterAll(async () => {
    finished = true;
    await killing?.catch(() => undefined);
    if (keepLogs) process.stderr.write(`cluster logs kept in ${cluster?.dir}\n`);
    await cluster?.stop({ keepDir: keepLogs });
  });

  /** A write through the balancer with an Idempotency-Key, retried with the same key on 5xx or a broken connection. */
  async function write(user: { sub: string; token: string }, path: string, body: unknown, key = randomUUID()) {
    const method = 'POST';
    for (let attempt = 1; attempt <= 40; attempt++) {
      if (finished) throw new Error('the test ended');
      let status = 0;
      let text = '';
      let instance = '';
      try {
        const r = await fetch(`${cluster.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(20_000),
        });
        status = r.status;
        instance = r.headers.get('x-casetrail-instance') ?? '';
        text = await r.text();
      } catch (error) {
        const name = `network: ${(error as Error).name} ${(error as Error & { cause?: { code?: string } }).cause?.code ?? ''}`;
        failures[name] = (failures[name] ?? 0) + 1;
        await sleep(150 * Math.min(attempt, 5));
        continue;
      }
      if (status >= 500 || status === 429) {
        const why = `HTTP ${status} ${instance ? `from ${instance.replace(/\d+$/, 'N')}` : 'from the balancer'}: ${text.replace(/\s+/g, ' ').slice(0, 90)}`;
        failures[why] = (failures[why] ?? 0) + 1;
        await sleep(150 * Math.min(attempt, 5));
        continue;
      }
      const response = text ? JSON.parse(text) : null;
      if (status >= 300) {
        refused.push(`${method} ${path} → ${status} ${text.slice(0, 300)} (attempt ${attempt}, ${instance})`);
        return { status, response };
      }
      acked.push({ actor: user.sub, key, method, path, body, status, response, instance, attempts: attempt });
      return { status, response };
    }
    throw new Error(`${method} ${path}: no answer after 40 attempts`);
  }

  async function read(user: { token: string }, path: string) {
    for (let attempt = 1; attempt <= 20; attempt++) {
      if (finished) throw new Error('the test ended');
      try {
        const r = await fetch(`${cluster.url}${path}`, {
          headers: { authorization: `Bearer ${user.token}` },
          signal: AbortSignal.timeout(20_000),
        });
        const text = await r.text();
        if (r.status < 500) return { status: r.status, body: text ? JSON.parse(text) : null };
      } catch {
        /* an instance died under this read */
      }
      await sleep(150);
    }
    throw new Error(`GET ${path}: no answer`);
  }

  /** The six roles on one dispute: agent files and works it, supervisor approves, auditor and analyst read. */
  async function journey(worker: number, n: number): Promise<void> {
    const agent = users('agent', `agent-c${worker}`);
    const breach = n % 4 === 1; // one in four is left unanswered on chat and must breach exactly once
    const filed = await write(
      agent,
      '/api/v1/disputes',
      fileBody({ customerId: `cl-${worker}-${n}`, orderId: `o-${worker}-${n}`, channel: breach ? 'chat' : 'web' }),
    );
    if (filed.status !== 201) return;
    const id = filed.response.id as string;
    const d = `/api/v1/disputes/${id}`;
    if ((await write(agent, `${d}/assign`, { agentId: agent.sub, department: 'after-sales' })).status !== 200) return;
    if (breach) {
      breachCandidates.push({ id, filedAt: Date.parse(filed.response.filedAt) });
      return;
    }
    if ((await write(agent, `${d}/acknowledge`, { message: 'we are on it' })).status !== 200) return;
    const proposed = await write(agent, `${d}/compensations`, {
      type: 'refund',
      amount: { amount: 30_000, currency: 'CNY' },
      reason: 'leaking seam',
    });
    if (proposed.status !== 201) return;
    const compensation = proposed.response.compensations.at(-1);
    if (compensation.status === 'pending_approval') {
      if ((await write(SUPERVISOR, `${d}/compensations/${compensation.compensationId}/approve`, { note: 'checked' })).status !== 200)
        return;
    }
    if (
      (await write(agent, `${d}/compensations/${compensation.compensationId}/pay`, { paymentReference: `pay-${worker}-${n}` })).status !==
      200
    )
      return;
    if (n % 3 === 0) {
      await write(agent, `${d}/close`, { resolution: 'refunded' });
      await write(agent, `${d}/feedback`, { score: 5 });
    }
    if (n % 5 === 0) {
      expect((await read(AUDITOR, `${d}/events`)).status).toBe(200);
      expect((await read(ANALYST, `/api/v1/reports/funnel?${PERIOD}`)).status).toBe(200);
      expect((await read(MANAGER, `/api/v1/reports/compensations?${PERIOD}&groupBy=type`)).status).toBe(200);
    }
  }

  async function healthOf(instance: ClusterInstance) {
    try {
      const r = await fetch(`${instance.baseUrl}/health`, { signal: AbortSignal.timeout(3000) });
      return { status: r.status, body: (await r.json()) as { projections: { name: string; leader: boolean; lagEvents: number }[] } };
    } catch {
      return null;
    }
  }

  /** Alternately the instance leading the `disputes` projection and a random one; one down at a time. */
  async function killer(until: number): Promise<void> {
    let round = 0;
    for (;;) {
      await sleep(UP_MS);
      // At least two kills even when restarts are slow (a loaded machine): the load goes on until then.
      if ((Date.now() + DOWN_MS > until && kills.length >= 2) || Date.now() > until + 60_000 || finished) return;
      let victim = cluster.instances[Math.floor(Math.random() * cluster.instances.length)];
      if (round++ % 2 === 0) {
        for (const instance of cluster.instances) {
          const h = await healthOf(instance);
          if (h?.body.projections.some((p) => p.name === 'disputes' && p.leader)) victim = instance;
        }
      }
      const leader = (await healthOf(victim))?.body.projections.filter((p) => p.leader).map((p) => p.name) ?? [];
      await victim.kill('SIGKILL');
      kills.push(`${new Date().toISOString()} SIGKILL ${victim.name} (leading ${leader.length ? leader.join(', ') : 'no projection'})`);
      await sleep(DOWN_MS);
      await victim.start();
    }
  }

  it('keeps every acknowledged command exactly once, hands projections and breaches over, honours keys everywhere', async () => {
    const policy = await fetch(`${cluster.url}/api/v1/sla/policy`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(POLICY),
    });
    expect(policy.status).toBe(200);
    const until = Date.now() + LOAD_MS;
    killing = killer(until);
    await Promise.all(
      Array.from({ length: WORKERS }, async (_, worker) => {
        for (let n = 0; Date.now() < until || (kills.length < 2 && Date.now() < until + 60_000); n++) await journey(worker, n);
      }),
    );
    await killing;
    keepLogs = true; // until the checks pass

    // Quiesce: every instance up, healthy, and every projection caught up with the log.
    for (const instance of cluster.instances) if (!instance.alive()) await instance.start();
    const deadline = Date.now() + 60_000;
    for (;;) {
      // Due breaches are fired by whichever instance holds the scheduler's lock; wait for the last ones too.
      await sleep(Math.max(0, Math.max(0, ...breachCandidates.map((b) => b.filedAt)) + BREACH_AFTER_MS + 1500 - Date.now()));
      const all = await Promise.all(cluster.instances.map(healthOf));
      if (all.every((h) => h?.status === 200 && h.body.projections.every((p) => p.lagEvents === 0))) break;
      if (Date.now() > deadline) throw new Error(`not caught up: ${JSON.stringify(all)}`);
      await sleep(500);
    }

    const pg = new Client({ connectionString: cluster.databaseUrl });
    pg.on('error', () => undefined); // the database is dropped with FORCE at the end, even after a failure
    await pg.connect();
    const log = async () =>
      (await pg.query<StoredRow>('SELECT position, stream_id, revision, type, data, metadata FROM es_events ORDER BY position')).rows;
    let events = await log();
    // The breach scheduler may still be recording the last few: wait until every candidate has its breach.
    for (let waited = 0; waited < 20_000; waited += 500) {
      const breached = new Set(events.filter((e) => e.type === 'SlaBreached').map((e) => e.stream_id));
      if (breachCandidates.every((b) => breached.has(`dispute-${b.id}`))) break;
      await sleep(500);
      events = await log();
    }

    const summary = {
      proxy: cluster.proxy,
      kills,
      acknowledged: acked.length,
      retriedAcknowledged: acked.filter((a) => a.attempts > 1).length,
      failuresRetried: failures,
      refused: refused.length,
      events: events.length,
      breachCandidates: breachCandidates.length,
    };
    process.stderr.write(`cluster kill test: ${JSON.stringify(summary, null, 2)}\n`);
    expect(kills.length).toBeGreaterThanOrEqual(2);
    expect(kills.some((k) => /leading [^)]*\bdisputes\b/.test(k))).toBe(true); // a handover happened under load
    expect(refused).toEqual([]); // a retried command is answered as the first time, never refused
    expect(acked.length).toBeGreaterThan(WORKERS * 5);

    // 1. Every acknowledged command is in the log exactly once: its events carry its command id, one of each type.
    const byCommand = new Map<string, StoredRow[]>();
    for (const e of events) {
      const commandId = JSON.parse(e.metadata).commandId as string;
      byCommand.set(commandId, [...(byCommand.get(commandId) ?? []), e]);
    }
    const problems: string[] = [];
    const ackedCommandIds = new Set<string>();
    for (const a of acked) {
      const commandId = derivedId(`${a.actor}\u0000${a.key}`, 'command');
      ackedCommandIds.add(commandId);
      const mine = byCommand.get(commandId) ?? [];
      const types = mine.map((e) => e.type);
      if (mine.length === 0) problems.push(`lost: ${a.method} ${a.path} (key ${a.key}, ${a.instance}) has no event`);
      if (new Set(types).size !== types.length) problems.push(`duplicate: ${a.method} ${a.path} wrote ${types.join(', ')}`);
      if (new Set(mine.map((e) => e.stream_id)).size > 1) problems.push(`${a.path} wrote to several streams`);
    }
    // …and nothing else was written but the scheduler's breaches, the admin's policy and the signed checkpoints.
    const expectedOthers = (actor: string, e: StoredRow) =>
      actor === 'sla-scheduler' || actor === ADMIN.sub || (actor === 'system' && e.type === 'AuditCheckpointSigned');
    for (const [commandId, mine] of byCommand) {
      const actor = JSON.parse(mine[0].metadata).actorId as string;
      if (!ackedCommandIds.has(commandId) && !mine.every((e) => expectedOthers(actor, e)))
        problems.push(`unacknowledged write: ${mine.map((e) => `${e.type}@${e.stream_id}`).join(', ')} by ${actor}`);
    }
    // Checkpoints are written by whichever instance runs the audit trail: one per sequence.
    const sequences = events.filter((e) => e.type === 'AuditCheckpointSigned').map((e) => JSON.parse(e.data).checkpoint.sequence as number);
    expect(new Set(sequences).size).toBe(sequences.length);
    const filedStreams = events.filter((e) => e.type === 'DisputeFiled').map((e) => e.stream_id);
    expect(new Set(filedStreams).size).toBe(filedStreams.length);
    expect(filedStreams.length).toBe(acked.filter((a) => a.path === '/api/v1/disputes').length);

    // 2. The breach scheduler fired every due breach once, whichever instance held it when.
    const breaches = events.filter((e) => e.type === 'SlaBreached');
    const perClock = new Map<string, number>();
    for (const b of breaches) {
      const clock = `${b.stream_id} ${JSON.parse(b.data).kind}`;
      perClock.set(clock, (perClock.get(clock) ?? 0) + 1);
    }
    for (const [clock, count] of perClock) if (count !== 1) problems.push(`breach ${clock} recorded ${count} times`);
    const breachedStreams = new Set(breaches.filter((b) => JSON.parse(b.data).kind === 'first_response').map((b) => b.stream_id));
    for (const c of breachCandidates)
      if (!breachedStreams.has(`dispute-${c.id}`)) problems.push(`dispute ${c.id}: its due first-response breach never fired`);
    expect(problems).toEqual([]);
    expect(breachCandidates.length).toBeGreaterThan(0);

    // 3. Projections caught up with nothing applied twice: every read-model table equals a rebuild from the log
    //    (into a schema of its own in the same database, so both sides are PostgreSQL).
    await pg.query('CREATE SCHEMA rebuilt');
    // Read as the instances read it: personal fields decrypted with the data keys beside the log (issue 13).
    const source = personalDataLog(new PostgresEventStore(cluster.databaseUrl), {
      dataDir: cluster.dir,
      privacyMasterKey: cluster.sharedEnv.PRIVACY_MASTER_KEY,
      pseudonymKey: cluster.sharedEnv.PSEUDONYM_KEY,
      dataKeysDatabaseUrl: cluster.databaseUrl,
    } as AppConfig);
    const rebuilt = openPostgresReadStore(withSearchPath(cluster.databaseUrl, 'rebuilt'));
    const live = openPostgresReadStore(cluster.databaseUrl);
    try {
      const projections = PROJECTIONS(new SlaPolicyRegistry(source));
      await migrateReadStore(rebuilt.db, projections);
      await rebuildProjectionsTogether(rebuilt.db, source, projections);
      const tables = await comparableTables(pg);
      expect(tables).toEqual(expect.arrayContaining(['disputes', 'compensations', 'sla_deadlines', 'sla_breaches', 'audit_events']));
      const differing: string[] = [];
      for (const table of tables) {
        const [a, b] = [await rowsOf(live, table), await rowsOf(rebuilt, table)];
        if (JSON.stringify(a) !== JSON.stringify(b)) {
          const onlyLive = a.filter((r) => !b.includes(r)).slice(0, 3);
          const onlyRebuilt = b.filter((r) => !a.includes(r)).slice(0, 3);
          differing.push(
            `${table}: ${a.length} live rows, ${b.length} rebuilt; live only ${onlyLive.join(' ')}; rebuilt only ${onlyRebuilt.join(' ')}`,
          );
        }
      }
      expect(differing).toEqual([]);
    } finally {
      await live.close();
      await rebuilt.close();
      await source.close();
    }

    // 4. Idempotency keys across instances: the same key and body, sent straight to an instance other than the
    //    one that answered, returns the same answer and writes nothing.
    const head = Number((await pg.query('SELECT max(position) AS head FROM es_events')).rows[0].head);
    const sample = acked.filter((a, i) => i % Math.ceil(acked.length / 40) === 0 || a.attempts > 1).slice(0, 80);
    const tokens = new Map<string, string>(
      [SUPERVISOR, ...Array.from({ length: WORKERS }, (_, w) => users('agent', `agent-c${w}`))].map((u) => [u.sub, u.token]),
    );
    for (const a of sample) {
      for (const instance of cluster.instances.filter((i) => i.name !== a.instance)) {
        const r = await fetch(`${instance.baseUrl}${a.path}`, {
          method: a.method,
          headers: { authorization: `Bearer ${tokens.get(a.actor)}`, 'content-type': 'application/json', 'idempotency-key': a.key },
          body: JSON.stringify(a.body),
        });
        expect({ path: a.path, instance: instance.name, status: r.status, body: await r.json() }).toEqual({
          path: a.path,
          instance: instance.name,
          status: a.status,
          body: a.response,
        });
        expect(r.headers.get('idempotent-replayed')).toBe('true');
      }
    }
    expect(Number((await pg.query('SELECT max(position) AS head FROM es_events')).rows[0].head)).toBe(head);

    // 5. A retry racing its first attempt on another instance: the same key sent to all three at once files one
    //    dispute and acknowledges it once, and all three answer alike.
    const racer = users('agent', 'agent-c0');
    const direct = (instance: ClusterInstance, path: string, body: unknown, key: string) =>
      fetch(`${instance.baseUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${racer.token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { id: string; version: number } }));
    for (let n = 0; n < 5; n++) {
      const fileKey = randomUUID();
      const filing = fileBody({ customerId: `race-${n}`, orderId: `race-o-${n}` });
      const filedRace = await Promise.all(cluster.instances.map((i) => direct(i, '/api/v1/disputes', filing, fileKey)));
      expect(filedRace.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(new Set(filedRace.map((r) => `${r.body.id} v${r.body.version}`)).size).toBe(1);
      const d = `/api/v1/disputes/${filedRace[0].body.id}`;
      expect(
        (await direct(cluster.instances[0], `${d}/assign`, { agentId: racer.sub, department: 'after-sales' }, randomUUID())).status,
      ).toBe(200);
      const ackKey = randomUUID();
      const ackRace = await Promise.all(cluster.instances.map((i) => direct(i, `${d}/acknowledge`, { message: 'racing' }, ackKey)));
      expect(ackRace.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(new Set(ackRace.map((r) => r.body.version)).size).toBe(1);
      const types = (
        await pg.query<{ type: string }>('SELECT type FROM es_events WHERE stream_id = $1 ORDER BY revision', [
          `dispute-${filedRace[0].body.id}`,
        ])
      ).rows.map((r) => r.type);
      expect(types).toEqual(['DisputeFiled', 'DisputeAssigned', 'DisputeAcknowledged']);
    }
    await pg.end();

    // 6. The survivors (and the restarted) are healthy.
    for (const instance of cluster.instances) expect((await healthOf(instance))?.status).toBe(200);
    keepLogs = false;
  });
});

/** The read models' tables (not the log, the idempotency keys, the ledger or the checkpoints). */
async function comparableTables(pg: Client): Promise<string[]> {
  const { rows } = await pg.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'rebuilt' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const skip = /^(es_|idempotency_keys$|payouts$|projection_checkpoints$|kysely_)|_migrations$/;
  return rows.map((r) => r.table_name).filter((t) => !skip.test(t));
}

/** Every row as JSON with sorted keys, the rows sorted. */
async function rowsOf(store: ReadStore, table: string): Promise<string[]> {
  const rows = (await store.db
    .selectFrom(table as never)
    .selectAll()
    .execute()) as Record<string, unknown>[];
  return rows
    .map((row) =>
      JSON.stringify(
        Object.fromEntries(
          Object.keys(row)
            .sort()
            .map((k) => [k, row[k]]),
        ),
      ),
    )
    .sort();
}
