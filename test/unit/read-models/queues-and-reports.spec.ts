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
