import { randomBytes, createHash } from 'node:crypto';
import { fileBody, tokenFor } from '../../support/http-client';
import { useTestApp } from '../../support/test-app';
import { uploadEvidence } from '../../support/evidence-upload';

/**
 * Issue 15, "done when": an agent works a case only through the HTTP contract — reads the whole complaint,
 * adds notes and a contact, uploads a receipt and an arbitration agreement (arbitration refused before the
 * agreement, allowed after), downloads both back byte for byte, finds the case by order id and by a word of a
 * note, and sees every deadline; an agent of another department can neither read nor download.
 */
const AGENT = tokenFor('agent', 'agent-7', { department: 'after-sales' });
const OUTSIDER = tokenFor('agent', 'agent-9', { department: 'logistics' });
const SUPERVISOR = tokenFor('supervisor', 'sup-1', { department: 'after-sales' });
const ANALYST = tokenFor('analyst', 'ana-1');

const t = useTestApp();

const upload = uploadEvidence;

async function download(id: string, evidenceId: string, token: string) {
  const response = await fetch(`${t.baseUrl}/api/v1/disputes/${id}/evidence/${evidenceId}/content`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('an agent works a case through the contract (issue 15)', () => {
  const orderId = `order-${randomBytes(4).toString('hex')}`;
  const receipt = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(50_000)]);
  const agreement = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), randomBytes(20_000)]);
  let id: string;

  it('files, takes and acknowledges the case, and reads the whole complaint', async () => {
    const filed = await t.http.post(
      '/api/v1/disputes',
      AGENT,
      fileBody({ orderId, description: 'the kettle leaks at the seam after ten minutes' }),
    );
    expect(filed.status).toBe(201);
    id = filed.body.id;
    expect((await t.http.post(`/api/v1/disputes/${id}/assign`, AGENT, { agentId: 'agent-7', department: 'after-sales' })).status).toBe(200);
    const estimated = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const ack = await t.http.post(`/api/v1/disputes/${id}/acknowledge`, AGENT, {
      message: 'We are sorry; we are looking into it.',
      complex: true,
      estimatedResolutionAt: estimated,
      plan: 'lab test, then refund',
    });
    expect(ack.status).toBe(200);
    const view = (await t.http.get(`/api/v1/disputes/${id}`, AGENT)).body;
    expect(view.complaint).toMatchObject({
      description: 'the kettle leaks at the seam after ten minutes',
      productSku: 'kettle-2l',
      defectCode: 'LEAK',
      proofOfPurchase: true,
      amountClaimed: { amount: 19_900, currency: 'CNY' },
      purchasedAt: expect.any(String),
      deliveredAt: expect.any(String),
    });
    expect(view.acknowledgement).toMatchObject({
      message: 'We are sorry; we are looking into it.',
      complex: true,
      plan: 'lab test, then refund',
      estimatedResolutionAt: estimated,
    });
    // Every deadline, and the single next one.
    const kinds = view.deadlines.items.map((d: { kind: string }) => d.kind);
    expect(kinds).toEqual(expect.arrayContaining(['resolution', 'estimated_resolution']));
    expect(view.deadlines.next).toEqual(view.deadlines.items[0]);
    expect(view.deadlines.next.dueAt).toBe([...view.deadlines.items].map((d: { dueAt: string }) => d.dueAt).sort()[0]);
    expect(view.resolution).toEqual({ rejection: null, withdrawal: null, closure: null });
    expect(view.feedback).toBeNull();
    expect(view.workspaceActions).toEqual(expect.arrayContaining(['add_note', 'record_contact', 'attach_evidence', 'escalate_internally']));
  });

  it('adds notes and a customer contact, listed in time order with their authors', async () => {
    for (const text of ['asked the warehouse for the batch number', 'warehouse confirms a faulty gasket batch']) {
      const r = await t.http.post(`/api/v1/disputes/${id}/notes`, AGENT, { text });
      expect(r.status).toBe(201);
    }
    const future = await t.http.post(`/api/v1/disputes/${id}/contacts`, AGENT, {
      channel: 'phone',
      direction: 'out',
      at: new Date(Date.now() + 86_400_000).toISOString(),
      summary: 'not yet',
    });
    expect(future.status).toBe(400);
    expect(future.body.details).toEqual([{ field: 'at', problems: ['at: a contact cannot be in the future'] }]);
    const contact = await t.http.post(`/api/v1/disputes/${id}/contacts`, AGENT, {
      channel: 'phone',
      direction: 'out',
      summary: 'customer confirms the leak; wants a refund',
      promises: 'call back by Friday',
    });
    expect(contact.status).toBe(201);
    expect(contact.body.notes.items.map((n: { text: string; author: string }) => [n.author, n.text])).toEqual([
      ['agent-7', 'asked the warehouse for the batch number'],
      ['agent-7', 'warehouse confirms a faulty gasket batch'],
    ]);
    expect(contact.body.contacts).toMatchObject({
      total: 1,
      items: [{ channel: 'phone', direction: 'out', promises: 'call back by Friday', recordedBy: 'agent-7' }],
    });
    const page1 = await t.http.get(`/api/v1/disputes/${id}/notes?limit=1`, AGENT);
    expect(page1.body).toMatchObject({ total: 2, items: [{ text: 'asked the warehouse for the batch number' }] });
    const page2 = await t.http.get(`/api/v1/disputes/${id}/notes?limit=1&cursor=${page1.body.nextCursor}`, AGENT);
    expect(page2.body).toMatchObject({ total: 2, items: [{ text: 'warehouse confirms a faulty gasket batch' }], nextCursor: null });
    // In the audit trail too.
    const trail = (await t.http.get(`/api/v1/disputes/${id}/events`, SUPERVISOR)).body.items.map((e: { type: string }) => e.type);
    expect(trail).toEqual(expect.arrayContaining(['NoteAdded', 'CustomerContactRecorded']));
  });

  it('uploads the receipt; arbitration is refused without the agreement and allowed once it is on file', async () => {
    const r1 = await upload(t.baseUrl, AGENT, id, 'proof_of_purchase', 'receipt.pdf', 'application/pdf', receipt, 'till receipt');
    expect(r1.status).toBe(201);
    expect(r1.body.evidence.items[0]).toMatchObject({ kind: 'proof_of_purchase', sha256: sha(receipt), size: receipt.length });
    const refused = await t.http.post(`/api/v1/disputes/${id}/escalations`, AGENT, {
      forum: 'arbitration',
      institution: 'City arbitration commission',
      reason: 'no agreement',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/arbitration agreement is missing/);
    const view = (await t.http.get(`/api/v1/disputes/${id}`, AGENT)).body;
    expect(view.evidence.checklist).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ stage: 'arbitration', kind: 'arbitration_agreement', enforced: true, onFile: false }),
      ]),
    );
    const r2 = await upload(t.baseUrl, AGENT, id, 'arbitration_agreement', 'agreement.png', 'image/png', agreement);
    expect(r2.status).toBe(201);
    const allowed = await t.http.post(`/api/v1/disputes/${id}/escalations`, AGENT, {
      forum: 'arbitration',
      institution: 'City arbitration commission',
      reason: 'no agreement',
    });
    expect(allowed.status).toBe(200);
    expect(allowed.body.stage).toBe('arbitration');
  });

  it('downloads both files back byte for byte; the event recorded their hash', async () => {
    const view = (await t.http.get(`/api/v1/disputes/${id}`, AGENT)).body;
    const [r, a] = view.evidence.items;
    const back = await download(id, r.evidenceId, AGENT);
    expect(back.status).toBe(200);
    expect(back.headers.get('content-type')).toMatch(/application\/pdf/);
    expect(Buffer.compare(back.bytes, receipt)).toBe(0);
    expect(Buffer.compare((await download(id, a.evidenceId, AGENT)).bytes, agreement)).toBe(0);
    const events = (await t.http.get(`/api/v1/disputes/${id}/events`, SUPERVISOR)).body.items.filter(
      (e: { type: string }) => e.type === 'EvidenceAttached',
    );
    expect(events.map((e: { data: { sha256: string } }) => e.data.sha256)).toEqual([sha(receipt), sha(agreement)]);
  });

  it('finds the case by order id and by a word of a note, with a total; another department finds nothing', async () => {
    const byOrder = await t.http.get(`/api/v1/disputes?orderId=${orderId}`, AGENT);
    expect(byOrder.status).toBe(200);
    expect(byOrder.body).toMatchObject({ total: 1, items: [{ id }] });
    const byNote = await t.http.get(`/api/v1/disputes?q=gasket`, AGENT);
    expect(byNote.body.items.map((d: { id: string }) => d.id)).toContain(id);
    const both = await t.http.get(
      `/api/v1/disputes?q=${encodeURIComponent('GASKET warehouse')}&orderId=${orderId}&channel=web&priority=normal`,
      AGENT,
    );
    expect(both.body).toMatchObject({ total: 1, items: [{ id }] });
    expect((await t.http.get(`/api/v1/disputes?q=gasket&orderId=${orderId}&channel=phone`, AGENT)).body.total).toBe(0);
    expect((await t.http.get(`/api/v1/disputes?q=nosuchwordanywhere&orderId=${orderId}`, AGENT)).body.total).toBe(0);
    // A contact's words and the complaint's are searched too.
    expect((await t.http.get(`/api/v1/disputes?q=Friday&orderId=${orderId}`, AGENT)).body.total).toBe(1);
    expect((await t.http.get(`/api/v1/disputes?q=seam&orderId=${orderId}`, AGENT)).body.total).toBe(1);
    // A Chinese word inside a sentence (issue 15.4: CJK bigrams in the index).
    expect((await t.http.post(`/api/v1/disputes/${id}/notes`, AGENT, { text: '顾客说屏幕有划痕' })).status).toBe(201);
    for (const word of ['屏幕', '划痕'])
      expect((await t.http.get(`/api/v1/disputes?q=${encodeURIComponent(word)}`, AGENT)).body).toMatchObject({ total: 1, items: [{ id }] });
    const outsider = await t.http.get(`/api/v1/disputes?orderId=${orderId}`, OUTSIDER);
    expect(outsider.body).toMatchObject({ total: 0, items: [] });
    expect((await t.http.get(`/api/v1/disputes?q=gasket`, OUTSIDER)).body.total).toBe(0);
    expect((await t.http.get(`/api/v1/disputes?slaState=late`, AGENT)).status).toBe(400);
  });

  it('an agent of another department can neither read the case nor download its evidence', async () => {
    const view = (await t.http.get(`/api/v1/disputes/${id}`, AGENT)).body;
    expect((await t.http.get(`/api/v1/disputes/${id}`, OUTSIDER)).status).toBe(403);
    expect((await t.http.get(`/api/v1/disputes/${id}/notes`, OUTSIDER)).status).toBe(403);
    expect((await download(id, view.evidence.items[0].evidenceId, OUTSIDER)).status).toBe(403);
    expect((await upload(t.baseUrl, OUTSIDER, id, 'photo', 'x.png', 'image/png', agreement)).status).toBe(403);
    expect((await t.http.post(`/api/v1/disputes/${id}/notes`, OUTSIDER, { text: 'x' })).status).toBe(403);
  });

  it('escalates internally: the supervisor returns it with guidance, then takes it; reassignment keeps its reason', async () => {
    const asked = await t.http.post(`/api/v1/disputes/${id}/escalate-internally`, AGENT, { reason: 'customer threatens the press' });
    expect(asked.status).toBe(200);
    expect(asked.body.internalEscalation).toMatchObject({ reason: 'customer threatens the press', escalatedBy: 'agent-7' });
    expect((await t.http.post(`/api/v1/disputes/${id}/escalate-internally`, AGENT, { reason: 'again' })).status).toBe(409);
    // On the supervisor's department queue, in its check list, until answered.
    const queue = await t.http.get('/api/v1/queues/departments/after-sales', SUPERVISOR, {
      'x-casetrail-min-position': asked.headers.get('x-casetrail-position')!,
    });
    expect(queue.body.checklist.needs_supervisor).toContain(id);
    const noGuidance = await t.http.post(`/api/v1/disputes/${id}/internal-escalation/answer`, SUPERVISOR, { outcome: 'returned' });
    expect(noGuidance.status).toBe(400);
    const returned = await t.http.post(`/api/v1/disputes/${id}/internal-escalation/answer`, SUPERVISOR, {
      outcome: 'returned',
      guidance: 'offer a coupon first',
    });
    expect(returned.status).toBe(200);
    expect(returned.body).toMatchObject({ internalEscalation: null, assignee: 'agent-7' });
    const after = await t.http.get('/api/v1/queues/departments/after-sales', SUPERVISOR, {
      'x-casetrail-min-position': returned.headers.get('x-casetrail-position')!,
    });
    expect(after.body.checklist.needs_supervisor).not.toContain(id);
    await t.http.post(`/api/v1/disputes/${id}/escalate-internally`, AGENT, { reason: 'coupon refused' });
    const taken = await t.http.post(`/api/v1/disputes/${id}/internal-escalation/answer`, SUPERVISOR, { outcome: 'taken' });
    expect(taken.body).toMatchObject({
      internalEscalation: null,
      assignee: 'sup-1',
      assignmentReason: 'internal escalation: coupon refused',
    });
    const back = await t.http.post(`/api/v1/disputes/${id}/assign`, SUPERVISOR, {
      agentId: 'agent-7',
      department: 'after-sales',
      reason: 'press handled; back to the agent',
    });
    expect(back.body).toMatchObject({ assignee: 'agent-7', assignmentReason: 'press handled; back to the agent' });
  });

  it('an analyst reads the case without the customer’s words', async () => {
    const view = (await t.http.get(`/api/v1/disputes/${id}`, ANALYST)).body;
    expect(view.complaint.description).toBeNull();
    expect(view.notes.items[0]).toMatchObject({ text: null, author: 'agent-7' });
    expect((await download(id, view.evidence.items[0].evidenceId, ANALYST)).status).toBe(403);
  });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
