import { fileBody, tokenFor } from '../../support/http-client';
import { useTestApp } from '../../support/test-app';

const AGENT = tokenFor('agent', 'agent-1');
const OTHER_AGENT = tokenFor('agent', 'agent-2');
const SUPERVISOR = tokenFor('supervisor', 'sup-1');
const MANAGER = tokenFor('manager', 'mgr-1');
const AUDITOR = tokenFor('auditor', 'aud-1');

/** POST /disputes/:id/tags (issue 18's example slice): labels on a case, in the view as `tags`. */
const t = useTestApp();

async function file(): Promise<string> {
  const r = await t.http.post('/api/v1/disputes', AGENT, fileBody());
  expect(r.status).toBe(201);
  return r.body.id;
}
const tag = (id: string, body: unknown, token = AGENT, headers: Record<string, string> = {}) =>
  t.http.post(`/api/v1/disputes/${id}/tags`, token, body, headers);
const eventTypes = async (id: string) =>
  ((await t.http.get(`/api/v1/disputes/${id}/events`, AUDITOR)).body.items as { type: string; data: Record<string, unknown> }[]).map(
    (e) => e.type,
  );

describe('tagging a dispute over HTTP', () => {
  it('adds tags, shows them in the view, offers `tag` in workspaceActions and records one DisputeTagged', async () => {
    const id = await file();
    const before = await t.http.get(`/api/v1/disputes/${id}`, AGENT);
    expect(before.body.tags).toEqual([]);
    expect(before.body.workspaceActions).toContain('tag');
    expect(before.body.allowedActions).not.toContain('tag');

    const first = await tag(id, { tags: ['fragile', 'vip', 'fragile'] });
    expect(first.status).toBe(200);
    expect(first.body.tags).toEqual(['fragile', 'vip']);
    expect(first.headers.get('etag')).toBe(`"${before.body.version + 1}"`);

    const second = await tag(id, { tags: ['vip', 'late-delivery'] }, SUPERVISOR);
    expect(second.status).toBe(200);
    expect(second.body.tags).toEqual(['fragile', 'vip', 'late-delivery']);

    const read = await t.http.get(`/api/v1/disputes/${id}`, AGENT, {
      'x-casetrail-min-position': second.headers.get('x-casetrail-position') ?? '',
    });
    expect(read.body.tags).toEqual(['fragile', 'vip', 'late-delivery']);
    expect((await eventTypes(id)).filter((type) => type === 'DisputeTagged')).toHaveLength(2);
  });

  it('refuses bad bodies with a 400 naming the field, and writes nothing', async () => {
    const id = await file();
    for (const body of [
      {},
      { tags: [] },
      { tags: ['Fragile'] },
      { tags: ['two words'] },
      { tags: 'fragile' },
      { tags: [7] },
      { tags: ['ok'], extra: 1 },
    ]) {
      const r = await tag(id, body);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).toMatch(/tags|extra/);
    }
    expect(await eventTypes(id)).not.toContain('DisputeTagged');
  });

  it('answers 409 when every tag is already there, 403 to a manager and to a colleague, 412 on a stale If-Match', async () => {
    const id = await file();
    expect((await tag(id, { tags: ['vip'] })).status).toBe(200);
    const again = await tag(id, { tags: ['vip'] });
    expect(again.status).toBe(409);
    expect(again.body.detail ?? again.body.message).toMatch(/already has these tags/);
    expect((await tag(id, { tags: ['x'] }, MANAGER)).status).toBe(403);
    await t.http.post(`/api/v1/disputes/${id}/assign`, AGENT, { agentId: 'agent-1', department: 'after-sales' });
    expect((await tag(id, { tags: ['x'] }, OTHER_AGENT)).status).toBe(403);
    expect((await tag(id, { tags: ['x'] }, AGENT, { 'if-match': '"1"' })).status).toBe(412);
    expect((await eventTypes(id)).filter((type) => type === 'DisputeTagged')).toHaveLength(1);
  });
});
