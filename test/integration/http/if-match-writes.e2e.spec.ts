import { DEFAULT_SLA_POLICY } from '../../../src/sla/domain/sla-policy';
import { tokenFor } from '../../support/http-client';
import { useTestApp } from '../../support/test-app';

/**
 * Issue 16 §4: `If-Match` honoured on every write beside the dispute writes — the SLA policy, peak windows,
 * the authority and evidence policies (their ETag is the policy version) and an agent's standing (its version).
 * A stale If-Match is a 412 that writes nothing; the current one, or none at all, is accepted.
 */
const ADMIN = tokenFor('admin', 'adm-im');
const AGENT = tokenFor('agent', 'agent-im', { department: 'care' });
const SUPERVISOR = tokenFor('supervisor', 'sup-im', { department: 'care' });
const MANAGER = tokenFor('manager', 'mgr-im');

const t = useTestApp();
const put = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  t.http.call('PUT', path, { token: ADMIN, body, headers });

describe('If-Match on PUT /api/v1/sla/policy', () => {
  it('answers ETag with the policy version; a stale If-Match is a 412 and writes nothing; the current one writes', async () => {
    const read = await t.http.get('/api/v1/sla/policy', AGENT);
    expect(read.headers.get('etag')).toBe(`"${read.body.version}"`);
    const { version: _v, ...policy } = DEFAULT_SLA_POLICY;
    const first = await put('/api/v1/sla/policy', policy, { 'if-match': `"${read.body.version}"` });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(read.body.version + 1);
    expect(first.headers.get('etag')).toBe(`"${first.body.version}"`);

    const stale = await put('/api/v1/sla/policy', { ...policy, atRiskRatio: 0.5 }, { 'if-match': `"${read.body.version}"` });
    expect(stale.status).toBe(412);
    expect(stale.body.message).toMatch(/SLA policy version/);
    expect(stale.body.details).toEqual({ currentVersion: first.body.version });
    expect((await t.http.get('/api/v1/sla/policy', AGENT)).body.version).toBe(first.body.version);

    expect((await put('/api/v1/sla/policy', policy, { 'if-match': 'yesterday' })).status).toBe(400);
    // Absent If-Match stays accepted, as on every dispute write.
    expect((await put('/api/v1/sla/policy', policy)).status).toBe(200);
  });
});

describe('If-Match on POST /api/v1/sla/peak-windows', () => {
  it('is the SLA policy version the window was planned against: 412 once another version is in force', async () => {
    const window = {
      start: new Date(Date.now() + 86_400_000).toISOString(),
      end: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      extensionPercent: 20,
      reason: 'sale',
    };
    const { version } = (await t.http.get('/api/v1/sla/policy', ADMIN)).body;
    const stale = await t.http.post('/api/v1/sla/peak-windows', ADMIN, window, { 'if-match': `"${version - 1}"` });
    expect(stale.status).toBe(412);
    const windows = (await t.http.get('/api/v1/sla/policy', ADMIN)).body.peakWindows;
    expect(windows).toHaveLength(0);
    const fresh = await t.http.post('/api/v1/sla/peak-windows', ADMIN, window, { 'if-match': `"${version}"` });
    expect(fresh.status).toBe(201);
    expect((await t.http.get('/api/v1/sla/policy', ADMIN)).body.peakWindows).toHaveLength(1);
  });
});

describe('If-Match on the authority and evidence policies', () => {
  it('PUT /api/v1/authority/policy: 412 on a stale version, nothing changed; the current version writes', async () => {
    const read = await t.http.get('/api/v1/authority/policy', AGENT);
    expect(read.headers.get('etag')).toBe(`"${read.body.version}"`);
    const limits = { agent: 20_000, supervisor: 60_000, manager: null };
    const changed = await put('/api/v1/authority/policy', { limits }, { 'if-match': `"${read.body.version}"` });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toBe(`"${changed.body.version}"`);
    const stale = await put('/api/v1/authority/policy', { limits: { ...limits, agent: 1 } }, { 'if-match': `"${read.body.version}"` });
    expect(stale.status).toBe(412);
    expect(stale.body.details).toEqual({ currentVersion: changed.body.version });
    expect((await t.http.get('/api/v1/authority/policy', AGENT)).body).toMatchObject({ version: changed.body.version, limits });
  });

  it('PUT /api/v1/evidence/policy: 412 on a stale version, nothing changed', async () => {
    const read = await t.http.get('/api/v1/evidence/policy', AGENT);
    expect(read.headers.get('etag')).toBe(`"${read.body.version}"`);
    const stale = await put(
      '/api/v1/evidence/policy',
      { requirements: read.body.requirements, reason: 'stale' },
      { 'if-match': `"${read.body.version + 3}"` },
    );
    expect(stale.status).toBe(412);
    expect((await t.http.get('/api/v1/evidence/policy', AGENT)).body.version).toBe(read.body.version);
    const fresh = await put('/api/v1/evidence/policy', { requirements: read.body.requirements }, { 'if-match': `"${read.body.version}"` });
    expect(fresh.status).toBe(200);
    expect(fresh.body.version).toBe(read.body.version + 1);
  });
});

describe("If-Match on an agent's standing", () => {
  it('GET gives the standing version as ETag; a write with another version is a 412', async () => {
    const read = await t.http.get('/api/v1/sla/standing/agents/agent-im', SUPERVISOR);
    expect(read.status).toBe(200);
    expect(read.body.version).toBe(0);
    expect(read.headers.get('etag')).toBe('"0"');
    const stale = await t.http.post('/api/v1/sla/standing/agents/agent-im/training/b-1/complete', SUPERVISOR, {}, { 'if-match': '"4"' });
    expect(stale.status).toBe(412);
    expect(stale.body.message).toMatch(/standing version 0/);
    const report = await t.http.post(
      '/api/v1/sla/standing/agents/agent-im/improvement-reports',
      AGENT,
      { causes: 'c', fixes: 'f' },
      { 'if-match': '"2"' },
    );
    expect(report.status).toBe(412);
    expect((await t.http.get('/api/v1/sla/standing/agents/agent-im', SUPERVISOR)).body.version).toBe(0);
  });
});

describe('If-Match on POST /api/v1/sla/months/:month/publish', () => {
  it("is the month's revision (0 before its first publication): a stale one is a 412 and publishes nothing", async () => {
    const month = '2026-01'; // closed: the test runs on the real clock, after it
    const early = await t.http.post(`/api/v1/sla/months/${month}/publish`, MANAGER, {}, { 'if-match': '"1"' });
    expect(early.status).toBe(412);
    expect(early.body.message).toMatch(/revision of 2026-01 0/);
    expect((await t.http.get(`/public/sla/${month}.json`)).status).toBe(404);
    const first = await t.http.post(`/api/v1/sla/months/${month}/publish`, MANAGER, {}, { 'if-match': '"0"' });
    expect(first.status).toBe(201);
    expect(first.body.revision).toBe(1);
    const stale = await t.http.post(`/api/v1/sla/months/${month}/publish`, MANAGER, { reason: 'again' }, { 'if-match': '"0"' });
    expect(stale.status).toBe(412);
    expect(stale.body.details).toEqual({ currentVersion: 1 });
  });
});
