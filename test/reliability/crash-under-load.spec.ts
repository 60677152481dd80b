import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildServer, ensureBuilt, freePort, startChildServer } from '../support/child-server';
import { ProjectionRunner } from '../../src/read-side/engine/runner';
import { rebuildProjections } from '../../src/read-models/offline-rebuild';
import { PROJECTIONS } from '../../src/read-models/registry';
import { migrateReadStore } from '../../src/read-side/store/migrations';
import { openSqliteReadStore } from '../../src/read-side/store/read-store';
import { SlaPolicyRegistry } from '../../src/sla/application/sla-policy.registry';
import { dumpTable } from '../support/read-stores';
import { serviceLog } from '../support/service-log';

const READ_MODEL_TABLES: [string, string[]][] = [
  ['disputes', ['dispute_id']],
  ['compensations', ['compensation_id']],
  ['customer_compensations', ['dispute_id', 'compensated_at']],
  ['audit_events', ['position']],
  ['sla_deadlines', ['dispute_id', 'clock_key']],
  ['sla_breaches', ['breach_id']],
  ['sla_penalties', ['penalty_id']],
];
import { client, fileBody, tokenFor } from '../support/http-client';
import { removeDir } from '../support/test-app';

/**
 * kill -9 of the built server (a child process) while 12 writers send commands across many disputes, twice,
 * with a restart after each crash: every command answered 2xx is in the log after the restart (found by the
 * X-Correlation-Id each request carried), no dispute is behind a version it answered, every stream's revisions
 * are dense and its hash chain verifies, and retried keyed commands replay without a second effect.
 * Bounded: each round stops at ROUND_ANSWERS answered writes or ROUND_MS, loopback only.
 */
jest.setTimeout(120_000);

const WRITERS = 12;
const ROUNDS = 2;
const ROUND_ANSWERS = 250;
const ROUND_MS = 20_000;
const AGENT = tokenFor('agent', 'agent-crash');
const SUPERVISOR = tokenFor('supervisor', 'sup-crash');
const AUDITOR = tokenFor('auditor', 'auditor-crash');

interface Answered {
  disputeId: string;
  correlationId: string;
  key: string;
  token: string;
  path: string;
  body: object;
  version: number;
  position: number;
}

describe('a crash under concurrent load across many disputes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-crash-load-'));
  const answered: Answered[] = [];
  const disputes: string[] = [];
  let server: ChildServer | null = null;
  let seq = 0;

  beforeAll(() => ensureBuilt());
  afterAll(async () => {
    await server?.kill('SIGKILL');
    removeDir(dataDir);
  });

  async function loadAndKill(port: number, round: number): Promise<void> {
    server = await startChildServer(dataDir, port);
    const http = client(server.baseUrl);
    const started = Date.now();
    let stop = false;
    let answersThisRound = 0;
    const writer = async (w: number) => {
      while (!stop) {
        const n = seq++;
        const correlationId = `crash-${round}-${w}-${n}`;
        const key = `key-${correlationId}`;
        let path: string;
        let body: object;
        let token = AGENT;
        const pick = disputes.length < 20 || n % 4 === 0 ? 'file' : ['acknowledge', 'assign', 'offer'][n % 3];
        const target = disputes[Math.floor(Math.random() * disputes.length)];
        if (pick === 'file') {
          path = '/api/v1/disputes';
          body = fileBody({ customerId: `crash-${w}`, orderId: `crash-order-${n}` });
        } else if (pick === 'acknowledge') {
          path = `/api/v1/disputes/${target}/acknowledge`;
          body = { message: 'on it' };
        } else if (pick === 'assign') {
          path = `/api/v1/disputes/${target}/assign`;
          body = { agentId: `agent-${n % 7}`, department: 'after-sales' };
          token = SUPERVISOR;
        } else {
          path = `/api/v1/disputes/${target}/negotiations`;
          body = { action: 'offer', party: n % 2 ? 'merchant' : 'customer', remedy: 'coupon', note: correlationId };
        }
        try {
          const r = await http.post(path, token, body, { 'idempotency-key': key, 'x-correlation-id': correlationId });
          if (r.status >= 500) throw new Error(`5xx before the crash: ${r.status} ${JSON.stringify(r.body)}`);
          if (r.status === 200 || r.status === 201) {
            const disputeId = r.body.id as string;
            if (pick === 'file') disputes.push(disputeId);
            answered.push({
              disputeId,
              correlationId,
              key,
              token,
              path,
              body,
              version: r.body.version,
              position: Number(r.headers.get('x-casetrail-position')),
            });
            answersThisRound++;
          }
        } catch (error) {
          if (String(error).includes('5xx before the crash')) throw error;
          return; // connection refused or reset: the server was killed under us
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    while (answersThisRound < ROUND_ANSWERS && Date.now() - started < ROUND_MS) await new Promise((r) => setTimeout(r, 5));
    await server.kill('SIGKILL'); // requests are in flight across many disputes
    stop = true;
    await Promise.all(writers);
    server = null;
  }

  it('keeps every 2xx and every hash chain through two kill -9 under load', async () => {
    const port = await freePort();
    for (let round = 0; round < ROUNDS; round++) await loadAndKill(port, round);
    expect(answered.length).toBeGreaterThanOrEqual(ROUNDS * 50);
    expect(new Set(answered.map((a) => a.disputeId)).size).toBeGreaterThanOrEqual(20);

    server = await startChildServer(dataDir, port);
    const http = client(server.baseUrl);
    const head = (await http.get('/health')).body.eventStore.headPosition as number;
    const problems: string[] = [];
    const byDispute = new Map<string, Answered[]>();
    for (const a of answered) byDispute.set(a.disputeId, [...(byDispute.get(a.disputeId) ?? []), a]);

    for (const [disputeId, answers] of byDispute) {
      const r = await http.get(`/api/v1/disputes/${disputeId}/events`, SUPERVISOR);
      if (r.status !== 200) {
        problems.push(`${disputeId}: events → ${r.status}`);
        continue;
      }
      const events = r.body.items as { revision: number; position: number; metadata: { correlationId: string } }[];
      const correlations = new Set(events.map((e) => e.metadata.correlationId));
      for (const a of answers) {
        if (!correlations.has(a.correlationId)) problems.push(`${disputeId}: answered ${a.correlationId} (v${a.version}) is missing`);
        if (events.length < a.version) problems.push(`${disputeId}: has ${events.length} events, answered v${a.version}`);
        if (a.position > head) problems.push(`${disputeId}: answered position ${a.position} beyond head ${head}`);
      }
      if (events.some((e, i) => e.revision !== i)) problems.push(`${disputeId}: revisions not dense`);
      const verify = await http.get(`/api/v1/disputes/${disputeId}/audit/verify`, AUDITOR);
      if (verify.body?.valid !== true) problems.push(`${disputeId}: chain ${JSON.stringify(verify.body)}`);
    }
    expect(problems).toEqual([]);

    // Retrying answered keyed commands after the crashes replays them: same version, no second effect.
    const sample = answered.filter((_, i) => i % Math.max(1, Math.floor(answered.length / 25)) === 0);
    for (const a of sample) {
      const retry = await http.post(a.path, a.token, a.body, { 'idempotency-key': a.key, 'x-correlation-id': a.correlationId });
      expect([200, 201]).toContain(retry.status);
      expect(retry.body.version).toBe(a.version);
    }
    expect((await http.get('/health')).body.eventStore.headPosition).toBe(head);

    await server.kill('SIGTERM');
    server = null;

    // Read models converge to a rebuild: the live ones, resumed from their checkpoints after two kill -9, equal
    // the same read models rebuilt from zero, row by row.
    const log = serviceLog(dataDir);
    const live = openSqliteReadStore(dataDir);
    const rebuiltDir = mkdtempSync(join(tmpdir(), 'casetrail-crash-rebuild-'));
    try {
      await migrateReadStore(live.db, PROJECTIONS());
      for (const projection of PROJECTIONS(new SlaPolicyRegistry(log))) await new ProjectionRunner(live.db, log, projection).catchUp();
      const reports = await rebuildProjections(log, rebuiltDir);
      const finalHead = await log.headPosition();
      expect(reports.map((r) => r.position)).toEqual(reports.map(() => finalHead));
      const rebuilt = openSqliteReadStore(rebuiltDir);
      for (const [table, key] of READ_MODEL_TABLES) {
        expect({ table, rows: await dumpTable(live, table, key) }).toEqual({ table, rows: await dumpTable(rebuilt, table, key) });
      }
      await rebuilt.close();
    } finally {
      await live.close();
      await log.close();
      removeDir(rebuiltDir);
    }
  });
});
