import { fileBody, tokenFor } from '../../support/http-client';
import { useTestApp } from '../../support/test-app';
import { pdfBytes, uploadEvidence } from '../../support/evidence-upload';

/** Issue 15: authority limits and the evidence checklist as versioned admin policies. */
const AGENT = tokenFor('agent', 'agent-1');
const SUPERVISOR = tokenFor('supervisor', 'sup-1');
const ADMIN = tokenFor('admin', 'adm-1');

const t = useTestApp();

async function file(): Promise<string> {
  const r = await t.http.post('/api/v1/disputes', AGENT, fileBody());
  expect(r.status).toBe(201);
  return r.body.id;
}
const put = (path: string, token: string, body: unknown) => t.http.call('PUT', path, { token, body });

describe('authority limits as a versioned policy', () => {
  it("starts at DOMAIN.md: agent 200.00, supervisor 600.00, manager any (a senior agent: the agent's limit)", async () => {
    expect((await t.http.get('/api/v1/authority/policy', AGENT)).body).toEqual({
      version: 1,
      limits: { agent: 20_000, senior_agent: 20_000, supervisor: 60_000, manager: null },
    });
  });

  it('only admins change it; limits must rise with the role; bad input is a 400 naming the field', async () => {
    expect((await put('/api/v1/authority/policy', SUPERVISOR, { limits: { agent: 1, supervisor: 2, manager: null } })).status).toBe(403);
    const inverted = await put('/api/v1/authority/policy', ADMIN, { limits: { agent: 70_000, supervisor: 60_000, manager: null } });
    expect(inverted.status).toBe(400);
    const bad = await put('/api/v1/authority/policy', ADMIN, { limits: { agent: -1, supervisor: 60_000, manager: null } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/agent/);
    expect((await t.http.get('/api/v1/authority/policy', AGENT)).body.version).toBe(1);
  });

  it('a compensation is judged under the version in force, and records it', async () => {
    const id = await file();
    const before = await t.http.post(`/api/v1/disputes/${id}/compensations`, AGENT, {
      type: 'refund',
      amount: { amount: 15_000, currency: 'CNY' },
      reason: 'leak',
    });
    expect(before.body).toMatchObject({ compensationStatus: 'approved' });
    const changed = await put('/api/v1/authority/policy', ADMIN, {
      limits: { agent: 10_000, supervisor: 40_000, manager: null },
      reason: 'seed 003 tiers',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 2, limits: { agent: 10_000, supervisor: 40_000 } });
    const other = await file();
    const after = await t.http.post(`/api/v1/disputes/${other}/compensations`, AGENT, {
      type: 'refund',
      amount: { amount: 15_000, currency: 'CNY' },
      reason: 'leak',
    });
    expect(after.body).toMatchObject({ compensationStatus: 'pending_approval' });
    expect(after.body.compensations[0]).toMatchObject({ requiredApprover: 'supervisor' });
    const proposed = (await t.http.get(`/api/v1/disputes/${other}/events`, SUPERVISOR)).body.items.find(
      (e: { type: string }) => e.type === 'CompensationProposed',
    );
    expect(proposed.data.authorityPolicyVersion).toBe(2);
    expect(proposed.metadata.schemaVersion).toBe(2);
  });
});

describe('senior_agent: a role the JWT may carry (issue 15.5)', () => {
  const SENIOR = tokenFor('senior_agent', 'senior-1');
  const refund = (amount: number) => ({ type: 'refund', amount: { amount, currency: 'CNY' }, reason: 'leak' });
  beforeAll(async () => {
    const tiers = { agent: 20_000, senior_agent: 40_000, supervisor: 60_000, manager: null };
    expect((await put('/api/v1/authority/policy', ADMIN, { limits: tiers, reason: 'seed 003 tiers' })).status).toBe(200);
  });

  /** Filed and proposed by an agent (pending: above its 200.00), then handed to the senior agent by a supervisor. */
  async function pendingWithSenior(amount: number): Promise<{ id: string; compensationId: string; requiredApprover: string }> {
    const id = await file();
    expect((await t.http.post(`/api/v1/disputes/${id}/assign`, AGENT, { agentId: 'agent-1', department: 'after-sales' })).status).toBe(200);
    const proposed = await t.http.post(`/api/v1/disputes/${id}/compensations`, AGENT, refund(amount));
    expect(proposed.body).toMatchObject({ compensationStatus: 'pending_approval' });
    const handed = await t.http.post(`/api/v1/disputes/${id}/assign`, SUPERVISOR, {
      agentId: 'senior-1',
      department: 'after-sales',
      reason: 'within a senior agent’s limit',
    });
    expect(handed.status).toBe(200);
    const { compensationId, requiredApprover } = proposed.body.compensations[0];
    return { id, compensationId, requiredApprover };
  }

  it('approves 350.00 (within its 400.00) and is refused 450.00 with 403, as an agent over its limit is', async () => {
    const within = await pendingWithSenior(35_000);
    expect(within.requiredApprover).toBe('senior_agent');
    const approved = await t.http.post(`/api/v1/disputes/${within.id}/compensations/${within.compensationId}/approve`, SENIOR, {});
    expect(approved.status).toBe(200);
    expect(approved.body.compensations[0]).toMatchObject({ status: 'approved' });

    const above = await pendingWithSenior(45_000);
    expect(above.requiredApprover).toBe('supervisor');
    const refused = await t.http.post(`/api/v1/disputes/${above.id}/compensations/${above.compensationId}/approve`, SENIOR, {});
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/needs a supervisor/);
    // An agent may not approve at all (the route's roles), whatever the amount.
    const agentTries = await pendingWithSenior(25_000);
    expect(
      (await t.http.post(`/api/v1/disputes/${agentTries.id}/compensations/${agentTries.compensationId}/approve`, AGENT, {})).status,
    ).toBe(403);
  });

  it('works cases as an agent does: its own proposal within 400.00 is approved at once; others’ disputes are read-only', async () => {
    const id = (await t.http.post('/api/v1/disputes', SENIOR, fileBody())).body.id;
    expect((await t.http.post(`/api/v1/disputes/${id}/assign`, SENIOR, { agentId: 'senior-1', department: 'after-sales' })).status).toBe(
      200,
    );
    const own = await t.http.post(`/api/v1/disputes/${id}/compensations`, SENIOR, refund(38_000));
    expect(own.body).toMatchObject({ compensationStatus: 'approved' });
    const theirs = await file();
    expect((await t.http.post(`/api/v1/disputes/${theirs}/assign`, AGENT, { agentId: 'agent-1', department: 'after-sales' })).status).toBe(
      200,
    );
    expect((await t.http.get(`/api/v1/disputes/${theirs}`, SENIOR)).status).toBe(200);
    expect((await t.http.post(`/api/v1/disputes/${theirs}/notes`, SENIOR, { text: 'mine now?' })).status).toBe(403);
    expect((await t.http.get('/api/v1/queues/me', SENIOR)).status).toBe(200);
  });

  it("the senior agent's limit is set in the policy; between the agent's and the supervisor's", async () => {
    const current = (await t.http.get('/api/v1/authority/policy', AGENT)).body;
    const bad = await put('/api/v1/authority/policy', ADMIN, { limits: { ...current.limits, senior_agent: 70_000 } });
    expect(bad.status).toBe(400);
    const changed = await put('/api/v1/authority/policy', ADMIN, { limits: { ...current.limits, senior_agent: 30_000 } });
    expect(changed.body.limits.senior_agent).toBe(30_000);
    const pending = await pendingWithSenior(35_000);
    expect(pending.requiredApprover).toBe('supervisor');
    expect((await t.http.post(`/api/v1/disputes/${pending.id}/compensations/${pending.compensationId}/approve`, SENIOR, {})).status).toBe(
      403,
    );
    // Without senior_agent the tier is the agent's limit.
    const { senior_agent: _s, ...three } = current.limits;
    expect((await put('/api/v1/authority/policy', ADMIN, { limits: three })).body.limits.senior_agent).toBe(current.limits.agent);
  });
});

describe('the evidence checklist as a versioned policy', () => {
  it('an admin makes the claim required before litigation: escalating is refused until it is on file', async () => {
    const policy = (await t.http.get('/api/v1/evidence/policy', AGENT)).body;
    expect(policy.version).toBe(1);
    const requirements = policy.requirements.map((r: { stage: string; kind: string }) =>
      r.kind === 'claim' ? { ...r, enforced: true } : r,
    );
    expect((await put('/api/v1/evidence/policy', AGENT, { requirements })).status).toBe(403);
    expect(
      (await put('/api/v1/evidence/policy', ADMIN, { requirements: [{ stage: 'nowhere', kind: 'claim', when: 'always', enforced: true }] }))
        .status,
    ).toBe(400);
    const changed = await put('/api/v1/evidence/policy', ADMIN, { requirements, reason: 'court filings need the claim' });
    expect(changed.body.version).toBe(2);
    const id = await file();
    const refused = await t.http.post(`/api/v1/disputes/${id}/escalations`, AGENT, {
      forum: 'litigation',
      institution: 'District court',
      reason: 'r',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/claim is missing \(evidence policy version 2\)/);
    expect((await uploadEvidence(t.baseUrl, AGENT, id, 'claim', 'claim.pdf', 'application/pdf', pdfBytes('claim'))).status).toBe(201);
    const allowed = await t.http.post(`/api/v1/disputes/${id}/escalations`, AGENT, {
      forum: 'litigation',
      institution: 'District court',
      reason: 'r',
    });
    expect(allowed.status).toBe(200);
    expect(allowed.body.evidence).toMatchObject({ policyVersion: 2 });
  });

  it('refuses files of an unaccepted type, that lie about their type, or that are empty', async () => {
    const id = await file();
    expect((await uploadEvidence(t.baseUrl, AGENT, id, 'photo', 'x.exe', 'application/x-msdownload', Buffer.from('MZ...'))).status).toBe(
      415,
    );
    expect((await uploadEvidence(t.baseUrl, AGENT, id, 'photo', 'x.png', 'image/png', Buffer.from('not a png'))).status).toBe(415);
    expect((await uploadEvidence(t.baseUrl, AGENT, id, 'photo', 'x.txt', 'text/plain', Buffer.alloc(0))).status).toBe(400);
    const badKind = await uploadEvidence(t.baseUrl, AGENT, id, 'selfie', 'x.txt', 'text/plain', Buffer.from('hi'));
    expect(badKind.status).toBe(400);
    expect(JSON.stringify(badKind.body)).toMatch(/kind/);
    expect((await t.http.get(`/api/v1/disputes/${id}`, AGENT)).body.evidence.items).toEqual([]);
  });
});

describe('the evidence size limit (EVIDENCE_MAX_BYTES)', () => {
  const small = useTestApp({ env: { EVIDENCE_MAX_BYTES: '1000' } });
  it('refuses a larger file with 413 and stores nothing', async () => {
    const r = await small.http.post('/api/v1/disputes', AGENT, fileBody());
    const id = r.body.id;
    const big = await uploadEvidence(small.baseUrl, AGENT, id, 'other', 'big.txt', 'text/plain', Buffer.alloc(1001, 'a'));
    expect(big.status).toBe(413);
    expect((await uploadEvidence(small.baseUrl, AGENT, id, 'other', 'ok.txt', 'text/plain', Buffer.alloc(1000, 'a'))).status).toBe(201);
    expect((await small.http.get(`/api/v1/disputes/${id}`, AGENT)).body.evidence.items).toHaveLength(1);
  });
});
