import { InMemoryEventStore } from '../../../src/event-store/in-memory-event-store';
import { EventMetadata, EventStore, ReadStreamOptions, StoredEvent } from '../../../src/shared/event-sourcing/event-store.port';
import { FoldedStreamCache } from '../../../src/shared/event-sourcing/folded-stream-cache';
import { Actor } from '../../../src/shared/actor';
import { systemClock } from '../../../src/shared/clock';
import { DomainError } from '../../../src/shared/errors';
import { StandingService } from '../../../src/sla/application/standing.service';
import { SlaPolicyRegistry } from '../../../src/sla/application/sla-policy.registry';
import {
  decidePenalty,
  evolvePenalties,
  initialPenaltyState,
  penaltyDecider,
  PenaltyEvent,
  PenaltyState,
  penaltyStreamId,
} from '../../../src/sla/domain/penalties';
import { DEFAULT_SLA_POLICY } from '../../../src/sla/domain/sla-policy';

/** Review finding 3: the suspended-agent check folds each agent's penalty stream once, then only catches up. */
const AT = '2026-04-06T03:00:00.000Z';
const STREAM = penaltyStreamId('agent', 'a-1');
const metadata: EventMetadata = {
  actorId: 'system',
  actorRoles: ['system'],
  commandId: 'c',
  correlationId: 'c',
  causationId: null,
  policyVersion: null,
  schemaVersion: 1,
};
const agent: Actor = { id: 'a-1', roles: ['agent'] } as Actor;

/** Records every readStream: which stream, from which revision, how many events came back. */
class CountingLog extends InMemoryEventStore {
  reads: { streamId: string; fromRevision: number; returned: number }[] = [];
  override async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const events = await super.readStream(streamId, options);
    this.reads.push({ streamId, fromRevision: options.fromRevision ?? 0, returned: events.length });
    return events;
  }
}

const stateOf = async (log: EventStore): Promise<PenaltyState> =>
  (await log.readStream(STREAM)).reduce(
    (s, e) => evolvePenalties(s, { type: e.type, data: e.data } as PenaltyEvent),
    initialPenaltyState(),
  );

/** Another instance's write: straight to the log, the service is not told. */
async function write(log: EventStore, events: PenaltyEvent[]): Promise<void> {
  await log.append(
    STREAM,
    events.map((e) => ({ type: e.type, data: e.data as unknown as Record<string, unknown>, metadata, occurredAt: AT })),
    'any',
  );
}
async function breach(log: EventStore, n: number): Promise<void> {
  const input = {
    subjectType: 'agent' as const,
    subjectId: 'a-1',
    breachId: `b-${n}`,
    disputeId: `d-${n}`,
    channel: 'chat',
    detectedAt: AT,
    at: AT,
  };
  await write(log, decidePenalty(await stateOf(log), { ...input, calendar: DEFAULT_SLA_POLICY.businessCalendar }));
}
const refusal = async (p: Promise<unknown>) =>
  p.then(
    () => null,
    (error: DomainError) => error,
  );

describe('the suspended-agent check catches up from the last revision it folded', () => {
  it('reads only what was appended since, and sees a suspension and a reinstatement written elsewhere at once', async () => {
    const log = new CountingLog();
    const service = new StandingService(log, systemClock, {} as SlaPolicyRegistry);
    await breach(log, 1);
    await breach(log, 2);
    log.reads = [];
    await expect(service.assertMayAct(agent, null)).resolves.toBeUndefined();
    const folded = (await log.readStream(STREAM)).length;
    expect(log.reads[0]).toEqual({ streamId: STREAM, fromRevision: 0, returned: folded });

    log.reads = [];
    await expect(service.assertMayAct(agent, null)).resolves.toBeUndefined();
    // Nothing new: one read from the last folded revision, which returns that event alone (its hash checked).
    expect(log.reads).toEqual([{ streamId: STREAM, fromRevision: folded - 1, returned: 1 }]);

    await breach(log, 3); // the third breach suspends
    const suspendedAt = (await log.readStream(STREAM)).length;
    expect(suspendedAt).toBeGreaterThan(folded);
    log.reads = [];
    const refused = await refusal(service.assertMayAct(agent, null));
    expect(refused).toMatchObject({ kind: 'forbidden', message: expect.stringMatching(/a-1 is suspended \(breach b-3\)/) });
    expect(log.reads).toEqual([{ streamId: STREAM, fromRevision: folded - 1, returned: suspendedAt - folded + 1 }]);
    // The same check refuses a dispute assigned to them by a supervisor.
    const supervisor = { id: 's-1', roles: ['supervisor'] } as Actor;
    expect(await refusal(service.assertMayAct(supervisor, 'a-1'))).toMatchObject({ kind: 'forbidden' });

    let state = await stateOf(log);
    const submit = penaltyDecider.decide(
      { type: 'SubmitImprovementReport', data: { agentId: 'a-1', reportId: 'r-1', causes: 'c', fixes: 'f', by: 'a-1', at: AT } },
      state,
    );
    await write(log, submit);
    state = await stateOf(log);
    expect(await refusal(service.assertMayAct(agent, null))).toMatchObject({ kind: 'forbidden' });
    await write(
      log,
      penaltyDecider.decide(
        { type: 'ReviewImprovementReport', data: { reportId: 'r-1', approve: true, by: 's-1', note: 'ok', at: AT } },
        state,
      ),
    );
    await expect(service.assertMayAct(agent, null)).resolves.toBeUndefined();
    await expect(service.assertMayAct(supervisor, 'a-1')).resolves.toBeUndefined();
  });

  it('refolds from the start when the event it stopped at is not there any more (a replaced store)', async () => {
    const first = new InMemoryEventStore();
    await first.append(
      's',
      [
        { type: 'Added', data: { n: 1 }, metadata },
        { type: 'Added', data: { n: 2 }, metadata },
      ],
      'any',
    );
    let current: EventStore = first;
    const log = { readStream: (id: string, o?: ReadStreamOptions) => current.readStream(id, o) } as EventStore;
    const cache = new FoldedStreamCache<number>(
      log,
      (sum, e) => sum + Number(e.data.n),
      () => 0,
    );
    expect(await cache.state('s')).toBe(3);
    await first.append('s', [{ type: 'Added', data: { n: 4 } as Record<string, unknown>, metadata }], 'any');
    expect(await cache.state('s')).toBe(7);

    const second = new InMemoryEventStore(); // same revisions, other events: other hashes
    await second.append(
      's',
      [
        { type: 'Added', data: { n: 10 }, metadata },
        { type: 'Added', data: { n: 20 }, metadata },
        { type: 'Added', data: { n: 30 }, metadata },
      ],
      'any',
    );
    current = second;
    expect(await cache.state('s')).toBe(60);
    current = new InMemoryEventStore(); // the stream gone
    expect(await cache.state('s')).toBe(0);
  });

  it('keeps at most `capacity` streams, the least recently used leaving first', async () => {
    const log = new InMemoryEventStore();
    const two = [
      { type: 'Added', data: { n: 1 }, metadata },
      { type: 'Added', data: { n: 2 }, metadata },
    ];
    for (const id of ['a', 'b', 'c']) await log.append(id, two, 'any');
    const cache = new FoldedStreamCache<number>(
      log,
      (sum, e) => sum + Number(e.data.n),
      () => 0,
      2,
    );
    await cache.state('a');
    await cache.state('b');
    await cache.state('a');
    await cache.state('c'); // b, least recently used, leaves
    expect(cache.size).toBe(2);
    const spy = jest.spyOn(log, 'readStream');
    expect(await cache.state('a')).toBe(3); // still held: read from its last revision
    expect(spy).toHaveBeenLastCalledWith('a', { fromRevision: 1 });
    expect(await cache.state('b')).toBe(3); // evicted: folded again from the start
    expect(spy).toHaveBeenLastCalledWith('b', { fromRevision: 0 });
  });
});
