import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fileBody, tokenFor } from '../../support/http-client';
import { removeDir, startTestApp } from '../../support/test-app';

const AGENT = tokenFor('agent', 'agent-1');
const SUPERVISOR = tokenFor('supervisor', 'sup-1');

describe('Idempotency-Key across restarts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-idem-'));
  afterAll(() => removeDir(dataDir));

  it('returns the first response after a restart, and still has one effect when the stored response was lost', async () => {
    const key = { 'idempotency-key': 'restart-key-1' };
    const body = fileBody({ customerId: 'cust-restart' });
    let t = await startTestApp({ dataDir });
    const first = await t.http.post('/api/v1/disputes', AGENT, body, key);
    expect(first.status).toBe(201);
    await t.close();

    t = await startTestApp({ dataDir });
    const again = await t.http.post('/api/v1/disputes', AGENT, body, key);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    await t.close();

    // A crash after the append but before the response was stored: the record is missing, the events are not.
    const readDb = new Database(join(dataDir, 'read.db'));
    readDb.prepare('DELETE FROM idempotency_keys').run();
    readDb.close();
    t = await startTestApp({ dataDir });
    const afterLoss = await t.http.post('/api/v1/disputes', AGENT, body, key);
    expect(afterLoss.status).toBe(201);
    expect(afterLoss.body.id).toBe(first.body.id);
    expect(afterLoss.body.version).toBe(1);
    const list = await t.http.get('/api/v1/disputes?customerId=cust-restart', SUPERVISOR);
    expect(list.body.items).toHaveLength(1);
    await t.close();
  });
});
