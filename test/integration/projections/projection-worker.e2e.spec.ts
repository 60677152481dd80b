import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildServer, ensureBuilt, freePort, startChildServer } from '../../support/child-server';
import { client, fileBody, tokenFor } from '../../support/http-client';
import { removeDir } from '../../support/test-app';
import { postgresReadStore } from '../../support/read-stores';

/**
 * The compiled service (npm start) runs its projections in a worker thread: read-your-writes, the change
 * feed's source, rebuilds and status all go through it, and PROJECTIONS_THREAD=inline keeps them in the
 * request thread. Each case starts the built server as a child process (as production runs it).
 */
jest.setTimeout(60_000);

const AGENT = tokenFor('agent', 'agent-w', { department: 'returns' });
const ADMIN = tokenFor('admin', 'adm-w');

async function fileAssigned(http: ReturnType<typeof client>, n: number) {
  const filed = await http.post('/api/v1/disputes', AGENT, fileBody({ orderId: `order-w-${n}`, customerId: `cust-w-${n}` }));
  expect(filed.status).toBe(201);
  const assigned = await http.post(`/api/v1/disputes/${filed.body.id}/assign`, AGENT, { agentId: 'agent-w', department: 'returns' });
  expect(assigned.status).toBe(200);
  return { id: filed.body.id as string, position: assigned.headers.get('x-casetrail-position')! };
}

/** Each case's environment; a PostgreSQL read store gets a schema of its own, dropped afterwards. */
type Setup = () => Promise<{ env: Record<string, string>; cleanup(): Promise<void> }>;
const plain =
  (env: Record<string, string>): Setup =>
  async () => ({ env, cleanup: async () => undefined });
const onPostgres: Setup = async () => {
  const pg = await postgresReadStore({ migrate: false });
  await pg.store.close();
  return { env: { READ_STORE: 'postgres', DATABASE_URL: pg.url! }, cleanup: () => pg.cleanup().catch(() => undefined) };
};

describe.each([
  ['auto (the default)', plain({}), 'worker'],
  ['PROJECTIONS_THREAD=inline', plain({ PROJECTIONS_THREAD: 'inline' }), 'inline'],
  ['auto, read models in PostgreSQL (advisory locks taken by the worker)', onPostgres, 'worker'],
] as const)('projections thread: %s', (_label, setup, thread) => {
  let dataDir: string;
  let server: ChildServer;
  let http: ReturnType<typeof client>;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ensureBuilt();
    ({ env, cleanup } = await setup());
    dataDir = mkdtempSync(join(tmpdir(), 'casetrail-worker-'));
    server = await startChildServer(dataDir, await freePort(), env);
    http = client(server.baseUrl);
  });

  afterAll(async () => {
    await server?.kill('SIGKILL');
    removeDir(dataDir);
    await cleanup?.();
  });

  it(`runs in the ${thread} thread and answers read-your-writes`, async () => {
    const health = await http.get('/health');
    expect(health.status).toBe(200);
    expect(health.body.details.projections).toMatchObject({ status: 'up', thread });

    const mine = [];
    for (let n = 0; n < 5; n++) mine.push(await fileAssigned(http, n));
    const last = mine[mine.length - 1];
    const queue = await http.get('/api/v1/queues/me', AGENT, { 'X-Casetrail-Min-Position': last.position });
    expect(queue.status).toBe(200);
    expect(queue.headers.get('x-casetrail-stale')).toBe('false');
    expect(queue.body.items.map((i: { disputeId: string }) => i.disputeId).sort()).toEqual(mine.map((d) => d.id).sort());

    const status = await http.get('/api/v1/admin/projections', ADMIN);
    expect(status.status).toBe(200);
    const byName = Object.fromEntries(status.body.projections.map((p: { name: string }) => [p.name, p]));
    expect(Object.keys(byName)).toEqual(['disputes', 'audit', 'penalties', 'sla-supervision', 'dispute-search', 'penalty-processor']);
    expect(byName.disputes).toMatchObject({ running: true, leader: true, error: null });
    expect(byName.disputes.position).toBeGreaterThanOrEqual(Number(last.position));
  });

  it('rebuilds a projection and swaps it in while commands go on', async () => {
    const during = fileAssigned(http, 100);
    const rebuilt = await http.post('/api/v1/admin/projections/disputes/rebuild', ADMIN, {});
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body).toMatchObject({ projection: 'disputes', events: expect.any(Number) });
    expect(rebuilt.body.events).toBeGreaterThan(0);
    const late = await during;
    const queue = await http.get('/api/v1/queues/me', AGENT, { 'X-Casetrail-Min-Position': late.position });
    expect(queue.headers.get('x-casetrail-stale')).toBe('false');
    expect(queue.body.items.map((i: { disputeId: string }) => i.disputeId)).toContain(late.id);
    expect(queue.body.items).toHaveLength(6);
    expect((await http.post('/api/v1/admin/projections/penalty-processor/rebuild', ADMIN, {})).status).toBe(404);
  });

  it('stops cleanly on SIGTERM and resumes every projection from its checkpoint after a restart', async () => {
    const late = await fileAssigned(http, 200);
    const exit = new Promise<[number | null, string | null]>((resolve) =>
      server.process.once('exit', (code, signal) => resolve([code, signal])),
    );
    server.process.kill('SIGTERM');
    // Nest's shutdown hooks run (the runners finish their batch), then re-raise the signal; a hang would end in the jest timeout.
    expect(await exit).toEqual([null, 'SIGTERM']);

    server = await startChildServer(dataDir, await freePort(), env);
    http = client(server.baseUrl);
    const queue = await http.get('/api/v1/queues/me', AGENT, { 'X-Casetrail-Min-Position': late.position });
    expect(queue.headers.get('x-casetrail-stale')).toBe('false');
    expect(queue.body.items).toHaveLength(7);
    expect(queue.body.items.map((i: { disputeId: string }) => i.disputeId)).toContain(late.id);
    const status = await http.get('/api/v1/admin/projections', ADMIN);
    for (const p of status.body.projections.filter((p: { name: string }) => p.name !== 'penalty-processor')) {
      expect([p.name, p.error, p.running]).toEqual([p.name, null, true]);
    }
  });
});
