import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { join } from 'node:path';
import { SqliteCheckpointStore } from '../../../src/audit-trail/checkpoint-store';
import { AuditTrailService } from '../../../src/audit-trail/audit-trail.service';
import { verifyLog } from '../../../src/audit-trail/verify-log';
import { READ_STORE, ReadStore } from '../../../src/read-side/store/read-store';
import { EVENT_STORE, EventStore, RAW_EVENT_STORE } from '../../../src/shared/event-sourcing/event-store.port';
import { fileBody, tokenFor } from '../../support/http-client';
import { removeDir, startTestApp, TestApp } from '../../support/test-app';

const AGENT = tokenFor('agent', 'agent-1');
const AUDITOR = tokenFor('auditor');
const SUPERVISOR = tokenFor('supervisor');
const ANALYST = tokenFor('analyst');
const ADMIN = tokenFor('admin', 'adm-1');

// Unique strings: any of them found after the erasure is a leak.
const ALICE = { customerId: 'cust-alice-7f3a91', orderId: 'order-alice-55c2e0', description: 'Alice Wang 13800138000 the kettle leaks' };
const LEGACY = { customerId: 'cust-legacy-b81d4c', orderId: 'order-legacy-0e9f12', description: 'Legacy Li, flat 12B, the lid cracked' };
const BOB = { customerId: 'cust-bob-2290aa', orderId: 'order-bob-77aa01', description: 'Bob Chen: the handle broke' };
/** The values found, each with the table (or line) it was found in. */
const leaksOf = (text: string, who: Record<string, string>) =>
  Object.values(who).flatMap((value) =>
    text
      .split('\n')
      .filter((line) => line.includes(value))
      .map((line) => `${value} in ${line.slice(0, line.indexOf(':') > 0 ? line.indexOf(':') : 40)}`),
  );

/** Issue 13 items 5 and 7: erasure by crypto-shredding over HTTP, on the embedded log and read store. */
describe('erasing a customer (crypto-shredding)', () => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  let legacy: string;

  /** Every row of every table of the read store, as one string. */
  const readStoreText = async () => {
    const db = t.app.get<symbol, ReadStore>(READ_STORE).db;
    const tables = (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows.map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['disputes', 'idempotency_keys']));
    expect(tables).not.toContain('personal_data_keys'); // the keys live beside the log (DATA_DIR/data-keys.db), not here
    const dumps = await Promise.all(
      tables.map(async (name) =>
        JSON.stringify(
          await db
            .selectFrom(name as never)
            .selectAll()
            .execute(),
        ),
      ),
    );
    return dumps.join('\n');
  };
  const exportsText = async () => {
    const catalog = await t.http.get('/api/v1/exports', ANALYST);
    const names = catalog.body.datasets.map((d: { name: string }) => d.name) as string[];
    expect(names.length).toBeGreaterThan(3);
    const bodies = await Promise.all(
      names.map((name) => fetch(`${t.baseUrl}/api/v1/exports/${name}`, { headers: { authorization: `Bearer ${ANALYST}` } })),
    );
    return (await Promise.all(bodies.map((r) => r.text()))).join('\n');
  };
  const httpReads = async (id: string) =>
    JSON.stringify([
      (await t.http.get(`/api/v1/disputes/${id}`, SUPERVISOR)).body,
      (await t.http.get(`/api/v1/disputes/${id}/events`, AUDITOR)).body,
      (await t.http.get(`/api/v1/disputes/${id}/history?revision=0`, AUDITOR)).body,
      (await t.http.get('/api/v1/disputes?limit=100', SUPERVISOR)).body,
    ]);
  const verified = async (id: string) => {
    const verify = await t.http.get(`/api/v1/disputes/${id}/audit/verify`, AUDITOR);
    expect(verify.body).toMatchObject({ valid: true, damages: [] });
    const read = await t.http.get(`/api/v1/disputes/${id}`, AUDITOR);
    expect(read.headers.get('x-casetrail-integrity')).toBe('verified');
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { AUDIT_CHECKPOINT_INTERVAL_MS: '0', AUDIT_INTEGRITY_CACHE_MS: '0' } });
    const filed = await t.http.post('/api/v1/disputes', AGENT, fileBody(ALICE), { 'idempotency-key': `alice-${randomUUID()}` });
    expect(filed.status).toBe(201);
    alice = filed.body.id;
    bob = (await t.http.post('/api/v1/disputes', AGENT, fileBody(BOB))).body.id;
    const ack = await t.http.post(`/api/v1/disputes/${alice}/acknowledge`, AGENT, { message: 'We are looking into it.' });
    expect(ack.status).toBe(200);
    // A legacy dispute, written in plaintext before encryption: a copy of Bob's filing under another customer.
    const [bobFiled] = await t.app.get<symbol, EventStore>(EVENT_STORE).readStream(`dispute-${bob}`);
    legacy = randomUUID();
    await t.app
      .get<symbol, EventStore>(RAW_EVENT_STORE)
      .append(
        `dispute-${legacy}`,
        [{ type: bobFiled.type, data: { ...bobFiled.data, ...LEGACY, disputeId: legacy }, metadata: bobFiled.metadata }],
        'no_stream',
      );
    await t.app.get(AuditTrailService).checkpoint();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    if (t) removeDir(t.dataDir);
  });

  it('stores personal fields encrypted (only the legacy event holds plaintext), and reads show them decrypted', async () => {
    const stored = JSON.stringify(await t.app.get<symbol, EventStore>(RAW_EVENT_STORE).readAll());
    expect(leaksOf(stored, ALICE)).toEqual([]);
    expect(leaksOf(stored, BOB)).toEqual([]);
    expect(leaksOf(stored, LEGACY)).toHaveLength(3);
    const [aliceFiled] = (await t.http.get(`/api/v1/disputes/${alice}/events`, AUDITOR)).body.items;
    expect(aliceFiled.data).toMatchObject(ALICE);
    expect((await t.http.get(`/api/v1/disputes/${legacy}`, SUPERVISOR)).body).toMatchObject({ customerId: LEGACY.customerId });
    expect(leaksOf(await readStoreText(), ALICE).length).toBeGreaterThan(0); // the scan below can see them
    await verified(alice);
  });

  it('is for admins only, with a reason', async () => {
    expect((await t.http.post(`/api/v1/customers/${ALICE.customerId}/erase`, SUPERVISOR, { reason: 'asked' })).status).toBe(403);
    const missing = await t.http.post(`/api/v1/customers/${ALICE.customerId}/erase`, ADMIN, {});
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('reason');
    expect((await t.http.get(`/api/v1/disputes/${alice}`, SUPERVISOR)).body.customerId).toBe(ALICE.customerId);
  });

  describe('after erasing Alice and the legacy customer', () => {
    let aliceRef: string;
    beforeAll(async () => {
      const erased = await t.http.post(`/api/v1/customers/${ALICE.customerId}/erase`, ADMIN, { reason: 'PIPL art. 47 request #1' });
      expect(erased.status).toBe(200);
      expect(erased.body).toMatchObject({ subject: expect.stringMatching(/^cus_/), keysDestroyed: 1, responsesForgotten: 1, failed: [] });
      expect(erased.body.rebuilt).toEqual(expect.arrayContaining(['disputes']));
      aliceRef = erased.body.subject;
      const legacyErased = await t.http.post(`/api/v1/customers/${LEGACY.customerId}/erase`, ADMIN, { reason: 'request #2' });
      expect(legacyErased.body).toMatchObject({ keysDestroyed: 0, failed: [] });
    }, 60_000);

    it('reads, events, history and the list show the fields erased; Bob is untouched', async () => {
      const reads = await httpReads(alice);
      expect(leaksOf(reads, ALICE)).toEqual([]);
      expect(leaksOf(reads, BOB).length).toBeGreaterThan(0);
      const view = (await t.http.get(`/api/v1/disputes/${alice}`, SUPERVISOR)).body;
      expect(view).toMatchObject({ customerId: `erased:${aliceRef}`, orderId: 'erased' });
      const [filed] = (await t.http.get(`/api/v1/disputes/${alice}/events`, AUDITOR)).body.items;
      expect(filed.data).toMatchObject({
        customerId: `erased:${aliceRef}`,
        orderId: 'erased',
        description: '[erased]',
        productSku: 'kettle-2l',
      });
    });

    it('a legacy plaintext event is redacted in reads, though its bytes stay in the log', async () => {
      expect(leaksOf(await httpReads(legacy), LEGACY)).toEqual([]);
      const [filed] = (await t.http.get(`/api/v1/disputes/${legacy}/events`, AUDITOR)).body.items;
      expect(filed.data).toMatchObject({ customerId: expect.stringMatching(/^erased:cus_/), description: '[erased]' });
      const stored = JSON.stringify(await t.app.get<symbol, EventStore>(RAW_EVENT_STORE).readStream(`dispute-${legacy}`));
      expect(leaksOf(stored, LEGACY)).toHaveLength(3);
    });

    it('no export and no read-model table holds their data, also after another rebuild', async () => {
      for (const text of [await exportsText(), await readStoreText()]) {
        expect(leaksOf(text, ALICE)).toEqual([]);
        expect(leaksOf(text, LEGACY)).toEqual([]);
      }
      expect(leaksOf(await readStoreText(), BOB).length).toBeGreaterThan(0);
      expect((await t.http.post('/api/v1/admin/projections/disputes/rebuild', ADMIN, {})).status).toBe(200);
      expect(leaksOf(await readStoreText(), ALICE)).toEqual([]);
      expect(leaksOf(await readStoreText(), LEGACY)).toEqual([]);
    });

    it('records CustomerErased under the pseudonym, never the plaintext id', async () => {
      const [event] = await t.app.get<symbol, EventStore>(EVENT_STORE).readStream(`customer-erasure-${aliceRef}`);
      expect(event).toMatchObject({ type: 'CustomerErased', data: { subject: aliceRef, reason: 'PIPL art. 47 request #1' } });
      expect(event.metadata.actorId).toBe('adm-1');
      expect(JSON.stringify(event)).not.toContain(ALICE.customerId);
    });

    it('every chain and checkpoint still verifies, before and after a new checkpoint', async () => {
      await verified(alice);
      await verified(legacy);
      await t.app.get(AuditTrailService).checkpoint();
      await verified(alice);
      const raw = t.app.get<symbol, EventStore>(RAW_EVENT_STORE);
      const log = await verifyLog(raw, new SqliteCheckpointStore(join(t.dataDir, 'events.db')));
      expect(log).toMatchObject({ valid: true, damages: [] });
      expect(log.checkpointsChecked).toBeGreaterThanOrEqual(2);
    });
  });
});
