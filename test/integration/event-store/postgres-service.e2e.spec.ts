import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ChildServer, ensureBuilt, freePort, startChildServer } from '../../support/child-server';
import { client, fileBody, tokenFor } from '../../support/http-client';
import { removeDir } from '../../support/test-app';
import { freshSchema } from '../../support/postgres-event-store';

/**
 * `EVENT_STORE=postgres npm start`: the compiled service with its log and its read models in one PostgreSQL
 * schema (DATABASE_URL only). Two instances share it: a write on one is read, with read-your-writes, on the
 * other; the log they wrote together is dense, chained and checkpointed.
 */
jest.setTimeout(90_000);

const AGENT = tokenFor('agent', 'agent-pg', { department: 'returns' });
const AUDITOR = tokenFor('auditor', 'aud-pg');

describe('the service on the PostgreSQL event store (two instances, one database)', () => {
  let schema: { url: string; drop(): Promise<void> };
  const servers: ChildServer[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    schema = await freshSchema('svc');
    const signingKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    // And one master key and pseudonym key: the customers' data keys are shared through the read store (issue 13).
    const privacy = { PRIVACY_MASTER_KEY: randomBytes(32).toString('base64'), PSEUDONYM_KEY: randomBytes(32).toString('base64') };
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'casetrail-pg-es-'));
      dirs.push(dir);
      // Both instances sign checkpoints with one key, as a deployment would (AUDIT_SIGNING_KEY from a secret).
      const env = { EVENT_STORE: 'postgres', DATABASE_URL: schema.url, AUDIT_SIGNING_KEY: signingKey, ...privacy };
      servers.push(await startChildServer(dir, await freePort(), env));
    }
  });

  afterAll(async () => {
    for (const server of servers) await server.kill('SIGKILL');
    dirs.forEach(removeDir);
    await schema?.drop().catch(() => undefined);
  });

  it('files on one instance, reads and acts on the other, and keeps one dense, chained log', async () => {
    const [a, b] = servers.map((server) => client(server.baseUrl));
    const health = await b.get('/health');
    expect(health.status).toBe(200);
    expect(health.body.details.eventStore).toMatchObject({ status: 'up' });

    const ids: string[] = [];
    for (let n = 0; n < 4; n++) {
      const filed = await (n % 2 ? b : a).post(
        '/api/v1/disputes',
        AGENT,
        fileBody({ orderId: `order-pg-${n}`, customerId: `cust-pg-${n}` }),
      );
      expect(filed.status).toBe(201);
      ids.push(filed.body.id);
    }
    const assigned = await b.post(`/api/v1/disputes/${ids[0]}/assign`, AGENT, { agentId: 'agent-pg', department: 'returns' });
    expect(assigned.status).toBe(200);
    const position = assigned.headers.get('x-casetrail-position')!;
    const queue = await a.get('/api/v1/queues/me', AGENT, { 'X-Casetrail-Min-Position': position });
    expect(queue.status).toBe(200);
    expect(queue.headers.get('x-casetrail-stale')).toBe('false');
    expect(queue.body.items.map((i: { disputeId: string }) => i.disputeId)).toEqual([ids[0]]);

    const read = await a.get(`/api/v1/disputes/${ids[0]}`, AUDITOR);
    expect(read.status).toBe(200);
    expect(read.headers.get('x-casetrail-integrity')).toBe('verified');
    const verify = await b.get(`/api/v1/disputes/${ids[0]}/audit/verify`, AUDITOR);
    expect(verify.body).toMatchObject({ valid: true, damages: [] });
    expect((await a.get('/health')).body.audit).toMatchObject({ checkpointStore: 'stream' });
    // An export writes a checkpoint covering the case (into the log's checkpoint stream) when none does yet.
    const exported = await fetch(`${servers[0].baseUrl}/api/v1/disputes/${ids[0]}/export`, {
      headers: { authorization: `Bearer ${AUDITOR}` },
    });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('x-casetrail-integrity')).toBe('verified');
    const checkpoints = await b.get('/api/v1/audit/checkpoints', AUDITOR);
    expect(checkpoints.status).toBe(200);
    expect(checkpoints.body.items.length).toBeGreaterThan(0);

    const db = new Client({ connectionString: schema.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ position: string; stream_id: string }>(
        'SELECT position, stream_id FROM es_events ORDER BY position',
      );
      expect(rows.map((r) => Number(r.position))).toEqual(rows.map((_, i) => i + 1));
      for (const id of ids) expect(rows.some((r) => r.stream_id.includes(id))).toBe(true);
      const head = await db.query<{ position: string }>('SELECT position FROM es_log_head');
      expect(Number(head.rows[0].position)).toBe(rows.length);
    } finally {
      await db.end();
    }
  });
});
