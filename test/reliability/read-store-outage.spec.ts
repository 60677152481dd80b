import { rebuildProjections } from '../../src/read-models/offline-rebuild';
import { openSqliteReadStore, openPostgresReadStore } from '../../src/read-side/store/read-store';
import { fileBody, tokenFor } from '../support/http-client';
import { PrivatePostgres, startPrivatePostgres } from '../support/private-postgres';
import { dumpTable } from '../support/read-stores';
import { serviceLog } from '../support/service-log';
import { removeDir, startTestApp, TestApp } from '../support/test-app';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(120_000);
const AGENT = tokenFor('agent', 'agent-o');
const SUPERVISOR = tokenFor('supervisor', 'sup-o');

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * PostgreSQL (the read store) goes down and comes back: commands keep succeeding on the event log, reads that
 * need it answer 503 (never 500), and the projections resume with nothing lost.
 */
describe('the PostgreSQL read store going down and coming back', () => {
  let pg: PrivatePostgres;
  let t: TestApp;
  afterAll(async () => {
    await t?.close();
    pg?.destroy();
    if (t) removeDir(t.dataDir);
  });

  it('keeps commands working, reports it honestly, and resumes projections without loss', async () => {
    pg = await startPrivatePostgres();
    t = await startTestApp({ env: { READ_STORE: 'postgres', DATABASE_URL: pg.url } });
    const ids: string[] = [];
    const file = async (n: number) => {
      const r = await t.http.post('/api/v1/disputes', AGENT, fileBody({ customerId: `outage-${n}`, defectCode: 'LEAK' }));
      expect(r.status).toBe(201);
      ids.push(r.body.id);
      return r.body.id as string;
    };
    for (let n = 0; n < 3; n++) await file(n);

    pg.stop();
    for (let n = 3; n < 8; n++) {
      const id = await file(n);
      expect((await t.http.post(`/api/v1/disputes/${id}/acknowledge`, AGENT, { message: 'on it' })).status).toBe(200);
    }
    // With the customer's history unknown, a compensation waits for a supervisor (the cautious default).
    const proposed = await t.http.post(`/api/v1/disputes/${ids[4]}/compensations`, AGENT, { type: 'coupon', reason: 'sorry' });
    expect(proposed.status).toBe(201);
    expect(proposed.body.compensationStatus).toBe('pending_approval');
    expect((await t.http.get(`/api/v1/disputes/${ids[5]}`, AGENT)).status).toBe(200); // from the log itself
    const list = await t.http.get('/api/v1/disputes', SUPERVISOR);
    expect(list.status).toBe(503);
    expect(list.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    const health = await t.http.get('/health');
    expect(health.status).toBe(503);

    pg.start();
    await until(async () => {
      const h = await t.http.get('/health');
      return h.status === 200 && h.body.projections.every((p: { lagEvents: number }) => p.lagEvents === 0);
    }, 60_000);
    const listed = (await t.http.get('/api/v1/disputes?limit=50', SUPERVISOR)).body.items.map((d: { id: string }) => d.id);
    expect([...listed].sort()).toEqual([...ids].sort());

    // Nothing lost, nothing doubled: the resumed read models equal a rebuild from the log.
    const log = serviceLog(t.dataDir);
    const rebuiltDir = mkdtempSync(join(tmpdir(), 'casetrail-outage-rebuild-'));
    await rebuildProjections(log, rebuiltDir);
    const rebuilt = openSqliteReadStore(rebuiltDir);
    const live = openPostgresReadStore(pg.url);
    for (const [table, key] of [
      ['disputes', ['dispute_id']],
      ['compensations', ['compensation_id']],
      ['audit_events', ['position']],
    ] as const) {
      expect({ table, rows: await dumpTable(live, table, [...key]) }).toEqual({ table, rows: await dumpTable(rebuilt, table, [...key]) });
    }
    await live.close();
    await rebuilt.close();
    await log.close();
    removeDir(rebuiltDir);
  });
});
