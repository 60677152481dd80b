import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileBody, tokenFor } from '../../support/http-client';
import { removeDir, startTestApp, TestApp } from '../../support/test-app';
import { rewriteLog } from '../../support/tamper';

const AUDITOR = tokenFor('auditor');
const AGENT = tokenFor('agent', 'agent-1');
const VERIFIER = join(__dirname, '../../../tools/verify-bundle.mjs');

/** Signed checkpoints, reads that warn, and the case bundle, over HTTP on the embedded log. */
describe('audit and tamper evidence over HTTP', () => {
  let t: TestApp;
  let disputeId: string;
  let other: string;
  const scratch = mkdtempSync(join(tmpdir(), 'casetrail-bundles-'));
  beforeAll(async () => {
    t = await startTestApp({ env: { AUDIT_CHECKPOINT_INTERVAL_MS: '0', AUDIT_INTEGRITY_CACHE_MS: '0' } });
    disputeId = (await t.http.post('/api/v1/disputes', AGENT, fileBody())).body.id;
    other = (await t.http.post('/api/v1/disputes', AGENT, fileBody({ orderId: 'order-2' }))).body.id;
    const ack = await t.http.post(`/api/v1/disputes/${disputeId}/acknowledge`, AGENT, { message: 'We are looking into it.' });
    expect(ack.status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    if (t) removeDir(t.dataDir);
    removeDir(scratch);
  });

  const exportText = async (id: string) => {
    const response = await fetch(`${t.baseUrl}/api/v1/disputes/${id}/export`, { headers: { authorization: `Bearer ${AUDITOR}` } });
    return { status: response.status, text: await response.text(), integrity: response.headers.get('x-casetrail-integrity') };
  };
  const verifyFiles = (files: string[], extra: string[] = []) =>
    spawnSync(process.execPath, [VERIFIER, '--json', ...extra, ...files], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });

  it('serves the public key and the checkpoints (auditors only); /health reports the last checkpoint', async () => {
    const key = await fetch(`${t.baseUrl}/api/v1/audit/checkpoints/public-key`, { headers: { authorization: `Bearer ${AUDITOR}` } });
    expect(key.status).toBe(200);
    const pem = await key.text();
    expect(pem).toContain('BEGIN PUBLIC KEY');
    expect((await t.http.get('/api/v1/audit/checkpoints/public-key', AGENT)).status).toBe(403);
    expect((await t.http.get('/api/v1/audit/checkpoints', AGENT)).status).toBe(403);
    const health = await t.http.get('/health');
    expect(health.body.audit).toMatchObject({ keyId: key.headers.get('x-casetrail-key-id'), checkpointStore: 'sqlite-table' });
  });

  it('a dispute read and its verification say verified; the verify response keeps the contract and adds the checkpoint', async () => {
    const read = await t.http.get(`/api/v1/disputes/${disputeId}`, AUDITOR);
    expect(read.status).toBe(200);
    expect(read.headers.get('x-casetrail-integrity')).toBe('verified');
    expect(read.body.integrity).toBeUndefined();
    const verify = await t.http.get(`/api/v1/disputes/${disputeId}/audit/verify`, AUDITOR);
    expect(verify.body).toMatchObject({ valid: true, events: 2, damages: [] });
    expect(verify.body.firstInvalidRevision).toBeUndefined();
  });

  it('history by revision (as recorded) or by asOf (as occurred), saying which; neither or both is a 400', async () => {
    const first = await t.http.get(`/api/v1/disputes/${disputeId}/history?revision=0`, AUDITOR);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ by: 'revision', revision: 0, state: { status: expect.any(String) } });
    expect(first.body.events.map((e: { revision: number }) => e.revision)).toEqual([0]);
    expect(first.body.asOf).toBe(first.body.events[0].occurredAt);
    const later = encodeURIComponent(new Date(Date.now() + 1000).toISOString());
    const byTime = await t.http.get(`/api/v1/disputes/${disputeId}/history?asOf=${later}`, AUDITOR);
    expect(byTime.body).toMatchObject({ by: 'asOf' });
    expect(byTime.body.events).toHaveLength(2);
    expect((await t.http.get(`/api/v1/disputes/${disputeId}/history`, AUDITOR)).status).toBe(400);
    expect((await t.http.get(`/api/v1/disputes/${disputeId}/history?revision=0&asOf=${later}`, AUDITOR)).status).toBe(400);
    expect((await t.http.get(`/api/v1/disputes/${disputeId}/history?revision=-1`, AUDITOR)).status).toBe(400);
  });

  it('exports a bundle that verifies offline, is covered by a fresh checkpoint, and fails after any one-byte change', async () => {
    const exported = await exportText(disputeId);
    expect(exported.status).toBe(200);
    expect(exported.integrity).toBe('verified');
    const file = join(scratch, 'case.json');
    writeFileSync(file, exported.text);
    const ok = verifyFiles([file]);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout.trim())).toMatchObject({ ok: true, events: 2, coveredRevision: 1, eventsAfterCheckpoint: 0 });

    const checkpoints = (await t.http.get('/api/v1/audit/checkpoints', AUDITOR)).body;
    expect(checkpoints.items.length).toBeGreaterThanOrEqual(1);
    const latest = checkpoints.items[checkpoints.items.length - 1];
    expect(latest).toMatchObject({ keyId: checkpoints.keyId, streams: 2, events: 3 });

    // Every byte position, changed (XOR 1 and, for a sample, another value): each copy must fail.
    const bytes = Buffer.from(exported.text, 'utf8');
    const mutated: string[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const copy = Buffer.from(bytes);
      copy[i] = i % 7 === 0 ? (copy[i] + 1 + (i % 200)) % 256 : copy[i] ^ 1;
      const name = join(scratch, `m${i}.json`);
      writeFileSync(name, copy);
      mutated.push(name);
    }
    const results = verifyFiles(mutated)
      .stdout.trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { file: string; ok: boolean });
    expect(results).toHaveLength(bytes.length);
    expect(results.filter((r) => r.ok).map((r) => r.file)).toEqual([]);

    // Pinned to another key, the genuine bundle fails too.
    const otherKey = join(scratch, 'other.pem');
    writeFileSync(
      otherKey,
      execFileSync(process.execPath, [
        '-e',
        "const c=require('crypto');process.stdout.write(c.generateKeyPairSync('ed25519').publicKey.export({type:'spki',format:'pem'}))",
      ]),
    );
    expect(verifyFiles([file], ['--public-key', otherKey]).status).toBe(1);
  });

  it('after the log is rewritten under it (re-hashed), reads warn with a header and a field, and verification names the damage', async () => {
    const before = (await t.http.get(`/api/v1/disputes/${disputeId}/events`, AUDITOR)).body.items;
    rewriteLog(join(t.dataDir, 'events.db'), (rows) =>
      rows.map((r) =>
        r.stream_id === `dispute-${disputeId}` && r.revision === 0
          ? { ...r, data: JSON.stringify({ ...JSON.parse(r.data), description: 'rewritten' }) }
          : r,
      ),
    );
    const read = await t.http.get(`/api/v1/disputes/${disputeId}`, AUDITOR);
    expect(read.headers.get('x-casetrail-integrity')).toBe('failed');
    expect(read.body.integrity).toMatchObject({
      status: 'failed',
      damages: [expect.objectContaining({ kind: 'rewritten', revision: 1, eventId: before[1].eventId })],
    });
    const events = await t.http.get(`/api/v1/disputes/${disputeId}/events`, AUDITOR);
    expect(events.headers.get('x-casetrail-integrity')).toBe('failed');
    expect(events.body.integrity.status).toBe('failed');
    const verify = await t.http.get(`/api/v1/disputes/${disputeId}/audit/verify`, AUDITOR);
    expect(verify.body).toMatchObject({
      valid: false,
      events: 2,
      firstInvalidRevision: 1,
      damages: [expect.objectContaining({ kind: 'rewritten', streamId: `dispute-${disputeId}` })],
    });
    // The other case is untouched.
    expect((await t.http.get(`/api/v1/disputes/${other}`, AUDITOR)).headers.get('x-casetrail-integrity')).toBe('verified');
    const health = await t.http.get('/health');
    expect(health.body.audit.lastFailure).toMatchObject({ streamId: `dispute-${disputeId}`, kinds: ['rewritten'] });
    // An export of the rewritten case fails offline.
    const exported = await exportText(disputeId);
    expect(exported.integrity).toBe('failed');
    const file = join(scratch, 'rewritten.json');
    writeFileSync(file, exported.text);
    expect(verifyFiles([file]).status).toBe(1);
    expect(readFileSync(file, 'utf8')).toContain('rewritten');
  });
});
