import { DisputeEvent } from '../../../src/disputes/domain/dispute.events';
import { DisputesProjection } from '../../../src/read-models/disputes/disputes.projection';
import { readQueue } from '../../../src/read-models/queues/queue-queries';
import { compensationReport, funnelReport } from '../../../src/read-models/reports/report-queries';
import { acknowledged, approved, at, compensated, days, escalated, filed, paid, proposed, T0 } from '../disputes/dispute.fixtures';
import { GivenEvent, ProjectionSpec } from '../../support/projection-spec';

/**
 * The queues and reports read the disputes model's rows: given events → the rows the disputes projection
 * writes → what their queries answer.
 */
const spec = ProjectionSpec.for(() => new DisputesProjection());
const of = (id: string, event: DisputeEvent): GivenEvent => ({
  streamId: `dispute-${id}`,
  type: event.type,
  data: { ...event.data, disputeId: id },
  occurredAt: event.data.at,
});
const assigned = (id: string, agentId: string, minutes: number): GivenEvent => ({
  streamId: `dispute-${id}`,
  type: 'DisputeAssigned',
  data: { disputeId: id, at: at(minutes), agentId, department: 'returns', previousAgentId: null },
  occurredAt: at(minutes),
});

describe('queues (given events → an agent queue)', () => {
  it("an agent's queue holds its open disputes, breached before at risk before the rest, and not others'", async () => {
    await spec
      .given(of('a', filed({ at: T0 })), of('b', filed({ at: at(60) })), of('c', filed({ at: at(10) })))
      .when(assigned('a', 'agent-q', 1), assigned('b', 'agent-q', 61), assigned('c', 'agent-other', 11))
      .then(async (_rows, db) => {
        const early = await readQueue(db, { assignee: 'agent-q' }, at(62));
        expect(early.items.map((i) => i.disputeId)).toEqual(['a', 'b']); // nearest due first
        expect(early.items.map((i) => i.slaState)).toEqual(['ok', 'ok']);
        const late = await readQueue(db, { assignee: 'agent-q' }, at(days(30)));
        expect(late.items.map((i) => [i.disputeId, i.slaState])).toEqual([
          ['a', 'breached'],
          ['b', 'breached'],
        ]);
        expect((await readQueue(db, { assignee: 'agent-other' }, at(62))).items.map((i) => i.disputeId)).toEqual(['c']);
      });
  });

  it('an acknowledged and compensated dispute leaves the queue', async () => {
    await spec
      .given(
        of('a', filed()),
        assigned('a', 'agent-q', 1),
        of('a', acknowledged(5)),
        of('a', proposed('k-1', 100)),
        of('a', approved('k-1')),
      )
      .when(of('a', paid('k-1', 100)), of('a', compensated()))
      .then(async (_rows, db) => expect((await readQueue(db, { assignee: 'agent-q' }, at(90))).items).toEqual([]));
  });
});

describe('queue pages (issue 16: a cursor instead of a silent cap)', () => {
  // Nine disputes: filed at three instants (ties on due time), of three priorities, some acknowledged (a later due).
  const ids = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8', 'q9'];
  const priorities = ['low', 'normal', 'urgent'] as const;
  const given = ids.flatMap((id, i) => [
    of(id, filed({ at: at((i % 3) * 600), priority: priorities[i % 3] })),
    assigned(id, 'agent-q', (i % 3) * 600 + 1),
    ...(i % 4 === 0 ? [of(id, acknowledged((i % 3) * 600 + 2))] : []),
  ]);

  it('pages of any size, followed by nextCursor, give the whole queue once, in its order, with its total', async () => {
    await spec
      .given(...given.slice(0, -1))
      .when(given.at(-1)!)
      .then(async (_rows, db) => {
        for (const now of [at(30), at(days(2)), at(days(40))]) {
          const whole = await readQueue(db, { assignee: 'agent-q' }, now);
          expect(whole.total).toBe(9);
          expect(whole.nextCursor).toBeNull();
          expect(new Set(whole.items.map((i) => i.disputeId)).size).toBe(9);
          for (const limit of [1, 2, 4]) {
            const seen: string[] = [];
            let cursor: string | undefined;
            do {
              const page = await readQueue(db, { assignee: 'agent-q' }, now, { all: true }, limit, cursor);
              expect(page.items.length).toBeLessThanOrEqual(limit);
              expect(page.total).toBe(9);
              expect(page.asOf).toBe(now);
              seen.push(...page.items.map((i) => i.disputeId));
              cursor = page.nextCursor ?? undefined;
            } while (cursor);
            expect(seen).toEqual(whole.items.map((i) => i.disputeId));
          }
        }
      });
  });

  it("later pages keep the first page's instant, so time moving between pages skips and repeats nothing", async () => {
    await spec
      .given(...given.slice(0, -1))
      .when(given.at(-1)!)
      .then(async (_rows, db) => {
        const first = await readQueue(db, { assignee: 'agent-q' }, at(30), { all: true }, 3);
        // Meanwhile most of the queue breached: a fresh read would reorder it.
        const rest = await readQueue(db, { assignee: 'agent-q' }, at(days(40)), { all: true }, 200, first.nextCursor!);
        expect(rest.asOf).toBe(at(30));
        const whole = await readQueue(db, { assignee: 'agent-q' }, at(30));
        expect([...first.items, ...rest.items].map((i) => i.disputeId)).toEqual(whole.items.map((i) => i.disputeId));
        await expect(readQueue(db, { assignee: 'agent-q' }, at(30), { all: true }, 2, 'bm90IG1pbmU')).rejects.toThrow(/cursor/);
      });
  });
});

describe('reports (given events → funnel and compensation reports)', () => {
  it('the funnel counts the stages reached by disputes filed in the period', async () => {
    await spec
      .given(
        of('a', filed()),
        of('a', acknowledged(5)),
        of('a', escalated('mediation', 20)),
        of('b', filed({ at: at(1) })),
        of('z', filed({ at: at(days(40)) })),
      )
      .then(async (_rows, db) => {
        const report = await funnelReport(db, T0, at(days(1)));
        expect(report.stages).toMatchObject({ filed: 2, acknowledged: 1, mediation: 1, arbitration: 0, compensated: 0 });
        expect(report.escalationRates).toMatchObject({ any: 0.5, mediation: 0.5 });
        expect(report.resolved).toBe(0);
      });
  });

  it('the compensation report sums what was paid in the period, by type', async () => {
    await spec
      .given(
        of('a', filed()),
        of('a', acknowledged(5)),
        of('a', proposed('k-1', 10_000)),
        of('a', approved('k-1')),
        of('a', paid('k-1', 10_000)),
      )
      .when(of('b', filed()), of('b', acknowledged(5)), of('b', proposed('k-2', 500)), of('b', approved('k-2')))
      .then(async (_rows, db) => {
        expect(await compensationReport(db, T0, at(days(1)), 'type')).toEqual({
          rows: [{ key: 'refund', count: 1, amount: { amount: 10_000, currency: 'CNY' } }],
        });
        expect(await compensationReport(db, at(days(1)), at(days(2)), 'type')).toEqual({ rows: [] });
      });
  });
});
