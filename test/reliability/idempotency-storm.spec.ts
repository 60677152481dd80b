import { fileBody, Reply, tokenFor } from '../support/http-client';
import { useTestApp } from '../support/test-app';

/**
 * What test/integration/http does not cover yet (it has a storm of one key on one dispute, and 50 concurrent
 * commands on one dispute): a storm across 5 disputes at once, with keys shared by many retries, the same key
 * string used by two callers (keys are per caller), unique keys, no keys, and one key reused with a different
 * body, all in flight together. Loopback only, bounded (5 × 31 requests).
 */
jest.setTimeout(60_000);

const AGENT_1 = tokenFor('agent', 'agent-storm-1');
const AGENT_2 = tokenFor('agent', 'agent-storm-2');
const SUPERVISOR = tokenFor('supervisor', 'sup-storm');
const DISPUTES = 5;

interface Sent {
  dispute: string;
  kind: 'shared' | 'other-caller' | 'unique' | 'no-key' | 'conflict';
  key?: string;
  correlationId: string;
  reply?: Reply;
}

const t = useTestApp();

const offer = (note: string) => ({ action: 'offer', party: 'merchant', remedy: 'coupon', note });
const events = async (id: string) =>
  (await t.http.get(`/api/v1/disputes/${id}/events`, SUPERVISOR)).body.items as {
    type: string;
    revision: number;
    metadata: { correlationId: string };
  }[];

describe('an idempotency and concurrency storm across 5 disputes with mixed keys', () => {
  it('has exactly one effect per (caller, key), never answers 5xx, keeps every chain valid', async () => {
    const ids: string[] = [];
    for (let d = 0; d < DISPUTES; d++) {
      const filed = await t.http.post('/api/v1/disputes', AGENT_1, fileBody({ customerId: `storm-${d}`, orderId: `storm-order-${d}` }));
      expect(filed.status).toBe(201);
      expect((await t.http.post(`/api/v1/disputes/${filed.body.id}/acknowledge`, AGENT_1, { message: 'hi' })).status).toBe(200);
      ids.push(filed.body.id);
    }
    const headBefore = (await t.http.get('/health')).body.eventStore.headPosition as number;

    const sent: Sent[] = [];
    const calls: Promise<void>[] = [];
    let n = 0;
    const fire = (s: Omit<Sent, 'correlationId'>, token: string, body: object) => {
      const entry: Sent = { ...s, correlationId: `storm-${n++}` };
      sent.push(entry);
      const headers: Record<string, string> = { 'x-correlation-id': entry.correlationId };
      if (s.key) headers['idempotency-key'] = s.key;
      calls.push(t.http.post(`/api/v1/disputes/${s.dispute}/negotiations`, token, body, headers).then((r) => void (entry.reply = r)));
    };
    for (const dispute of ids) {
      const shared = `shared-${dispute}`;
      for (let i = 0; i < 10; i++) fire({ dispute, kind: 'shared', key: shared }, AGENT_1, offer('shared'));
      for (let i = 0; i < 5; i++) fire({ dispute, kind: 'other-caller', key: shared }, AGENT_2, offer('shared'));
      for (let i = 0; i < 5; i++) fire({ dispute, kind: 'unique', key: `unique-${dispute}-${i}` }, AGENT_1, offer(`unique ${i}`));
      for (let i = 0; i < 5; i++) fire({ dispute, kind: 'no-key' }, i % 2 ? AGENT_1 : AGENT_2, offer(`no key ${i}`));
      for (let i = 0; i < 6; i++)
        fire({ dispute, kind: 'conflict', key: `conflict-${dispute}` }, AGENT_1, offer(i % 2 ? 'body A' : 'body B'));
    }
    // Shuffle-free but interleaved: every dispute's requests are in flight at the same time.
    await Promise.all(calls);

    const statuses = sent.map((s) => s.reply!.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    // Every request but the reused-key-with-another-body ones must succeed (first or replayed).
    expect(
      sent
        .filter((s) => s.kind !== 'conflict' && s.reply!.status !== 200)
        .map((s) => `${s.kind} ${s.reply!.status} ${JSON.stringify(s.reply!.body)}`),
    ).toEqual([]);
    for (const s of sent.filter((x) => x.kind === 'conflict')) {
      expect([200, 422]).toContain(s.reply!.status);
      if (s.reply!.status === 422) expect(s.reply!.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity' });
    }

    for (const dispute of ids) {
      const mine = sent.filter((s) => s.dispute === dispute);
      const stream = await events(dispute);
      const negotiated = stream.filter((e) => e.type === 'DisputeNegotiated');
      // One effect per (caller, key): shared by agent 1, the same key string by agent 2, 5 unique, 1 conflict key, and each key-less 200.
      const keyless = mine.filter((s) => s.kind === 'no-key' && s.reply!.status === 200).length;
      expect(negotiated).toHaveLength(1 + 1 + 5 + 1 + keyless);
      // The effect of a key is the one of the request that got there first: its correlation id, once.
      const byCorrelation = new Map(negotiated.map((e) => [e.metadata.correlationId, e]));
      for (const kind of ['shared', 'other-caller', 'conflict'] as const) {
        const group = mine.filter((s) => s.kind === kind);
        expect(group.filter((s) => byCorrelation.has(s.correlationId))).toHaveLength(1);
        // Every 200 for one (caller, key) reports the same resulting version.
        expect(new Set(group.filter((s) => s.reply!.status === 200).map((s) => s.reply!.body.version)).size).toBe(1);
      }
      for (const s of mine.filter((x) => x.kind === 'unique' || (x.kind === 'no-key' && x.reply!.status === 200))) {
        expect(byCorrelation.has(s.correlationId)).toBe(true);
      }
      expect(stream.map((e) => e.revision)).toEqual(stream.map((_, i) => i));
      expect((await t.http.get(`/api/v1/disputes/${dispute}/audit/verify`, tokenFor('auditor'))).body.valid).toBe(true);
    }

    // Retrying after the storm replays and writes nothing.
    const headAfter = (await t.http.get('/health')).body.eventStore.headPosition as number;
    expect(headAfter - headBefore).toBe(ids.length * 8 + sent.filter((s) => s.kind === 'no-key' && s.reply!.status === 200).length);
    const retry = await t.http.post(`/api/v1/disputes/${ids[0]}/negotiations`, AGENT_1, offer('shared'), {
      'idempotency-key': `shared-${ids[0]}`,
    });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await t.http.get('/health')).body.eventStore.headPosition).toBe(headAfter);
  });
});

/**
 * A bug the storm above found (issue #7), now fixed: the same key with another body racing the first request
 * reached the handler, which found the key's command id in the stream and replayed the first effect as a 200.
 * The request's fingerprint is now kept in the events' metadata and compared on replay: 422.
 */
describe('a bug this storm found, fixed', () => {
  it('concurrent requests reusing a key with another body get 422, not a 200 replay of the other body', async () => {
    const filed = await t.http.post('/api/v1/disputes', AGENT_1, fileBody({ customerId: 'storm-conflict' }));
    const id = filed.body.id as string;
    await t.http.post(`/api/v1/disputes/${id}/acknowledge`, AGENT_1, { message: 'hi' });
    const key = { 'idempotency-key': `conflict-only-${id}` };
    const notes = ['body A', 'body B', 'body A', 'body B'];
    const replies = await Promise.all(notes.map((note) => t.http.post(`/api/v1/disputes/${id}/negotiations`, AGENT_1, offer(note), key)));
    const applied = (await t.http.get(`/api/v1/disputes/${id}/events`, SUPERVISOR)).body.items.filter(
      (e: { type: string }) => e.type === 'DisputeNegotiated',
    );
    expect(applied).toHaveLength(1);
    const winner = applied[0].data.note as string;
    notes.forEach((note, i) => expect(replies[i].status).toBe(note === winner ? 200 : 422));
  });
});
