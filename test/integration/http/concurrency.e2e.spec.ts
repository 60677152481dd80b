import { CommandBus } from '@nestjs/cqrs';
import { ExecuteDisputeCommand } from '../../../src/disputes/application/execute-dispute-command';
import { EVENT_STORE, EventStore } from '../../../src/shared/event-sourcing/event-store.port';
import { fileBody, tokenFor } from '../../support/http-client';
import { useTestApp } from '../../support/test-app';

const AGENT = tokenFor('agent', 'agent-1');
const SUPERVISOR = tokenFor('supervisor', 'sup-1');

const t = useTestApp();

describe('50 concurrent commands at one dispute', () => {
  it('applies or cleanly refuses each one, never loses an update, never answers 5xx', async () => {
    const filed = await t.http.post('/api/v1/disputes', AGENT, fileBody());
    const id = filed.body.id;
    await t.http.post(`/api/v1/disputes/${id}/acknowledge`, AGENT, { message: 'hi' });
    const commands = Array.from({ length: 50 }, (_, i) => {
      switch (i % 5) {
        case 0: // competing offers: each valid on any state before escalation
          // A supervisor: the dispute is reassigned concurrently, and an agent may only act on their own (issue 12).
          return () =>
            t.http.post(`/api/v1/disputes/${id}/negotiations`, SUPERVISOR, {
              action: 'offer',
              party: i % 2 ? 'merchant' : 'customer',
              remedy: 'coupon',
            });
        case 1: // only valid while an offer from the other side is open
          return () => t.http.post(`/api/v1/disputes/${id}/negotiations`, SUPERVISOR, { action: 'reject', party: 'merchant' });
        case 2: // valid exactly once
          return () =>
            t.http.post(`/api/v1/disputes/${id}/escalations`, SUPERVISOR, { forum: 'mediation', institution: `m-${i}`, reason: 'r' });
        case 3: // assignment by a supervisor: always valid
          return () => t.http.post(`/api/v1/disputes/${id}/assign`, SUPERVISOR, { agentId: `agent-${i}`, department: 'after-sales' });
        default: // optimistic writes against the version seen at the start
          return () =>
            t.http.post(
              `/api/v1/disputes/${id}/assign`,
              SUPERVISOR,
              { agentId: `agent-${i}`, department: 'after-sales' },
              { 'if-match': '"2"' },
            );
      }
    });
    const replies = await Promise.all(commands.map((run) => run()));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => ![200, 409, 412].includes(s))).toEqual([]);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(10);
    expect(replies.filter((r) => r.status === 409 || r.status === 412).every((r) => typeof r.body.message === 'string')).toBe(true);

    const events = (await t.http.get(`/api/v1/disputes/${id}/events`, SUPERVISOR)).body.items as {
      revision: number;
      metadata: { commandId: string };
    }[];
    const applied = new Set(events.slice(2).map((e) => e.metadata.commandId));
    expect(applied.size).toBe(statuses.filter((s) => s === 200).length);
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
    expect(events.filter((e) => (e as unknown as { type: string }).type === 'DisputeEscalated')).toHaveLength(1);
    expect((await t.http.get(`/api/v1/disputes/${id}/audit/verify`, tokenFor('auditor'))).body.valid).toBe(true);
  });
});

describe('filing under a freshly generated id', () => {
  it('skips reading the new stream, yet never writes into an existing one', async () => {
    const filed = await t.http.post('/api/v1/disputes', AGENT, fileBody({ orderId: 'order-fresh' }));
    const id = filed.body.id as string;
    const store = t.app.get<EventStore>(EVENT_STORE);
    const before = await store.readStream(`dispute-${id}`);
    // As if a generated id clashed with an existing dispute: the append expecting no stream loses, the retry
    // reads the stream, and the decider refuses.
    const clash = new ExecuteDisputeCommand(
      id,
      { type: 'FileDispute', data: fileBody({ orderId: 'order-clash' }) },
      { id: 'agent-1', roles: ['agent'] },
      {
        commandId: 'clash-command',
        correlationId: 'clash-command',
        causationId: null,
        newStream: true,
      },
    );
    await expect(t.app.get(CommandBus).execute(clash)).rejects.toThrow(`dispute ${id} already exists`);
    expect(await store.readStream(`dispute-${id}`)).toEqual(before);
  });
});
