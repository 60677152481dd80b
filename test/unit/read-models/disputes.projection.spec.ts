import { DisputeEvent } from '../../../src/disputes/domain/dispute.events';
import { DisputesProjection } from '../../../src/read-models/disputes/disputes.projection';
import {
  acknowledged,
  approved,
  at,
  closed,
  compensated,
  DISPUTE,
  escalated,
  filed,
  paid,
  proposed,
  rejected,
  T0,
} from '../disputes/dispute.fixtures';
import { GivenEvent, ProjectionSpec } from '../../support/projection-spec';

const spec = ProjectionSpec.for(() => new DisputesProjection());
/** A dispute event in its stream, recorded when it says it happened. */
const e = (event: DisputeEvent): GivenEvent => ({
  streamId: `dispute-${event.data.disputeId}`,
  type: event.type,
  data: event.data,
  occurredAt: event.data.at,
});
const other = (event: DisputeEvent, id: string): GivenEvent => e({ ...event, data: { ...event.data, disputeId: id } } as DisputeEvent);

describe('disputes read model (given events → rows)', () => {
  it('a filing is an open dispute row, unassigned, its first-response clock running', async () => {
    await spec.given(e(filed())).then((rows) => {
      expect(rows.disputes).toHaveLength(1);
      expect(rows.disputes[0]).toMatchObject({
        dispute_id: DISPUTE,
        customer_id: 'c-1',
        order_id: 'o-1',
        product_sku: 'sku-1',
        defect_code: 'LEAK',
        channel: 'email',
        category: 'quality_defect',
        priority: 'normal',
        stage: 'filed',
        status: 'open',
        assignee: null,
        filed_at: T0,
        version: 1,
        due_kind: 'first_response',
        acknowledged_at: null,
        resolved_at: null,
        first_response_seconds: null,
      });
      expect(Date.parse(rows.disputes[0].due_at as string)).toBeGreaterThan(Date.parse(T0));
      expect(rows.sla_deadlines.map((d) => [d.dispute_id, d.kind])).toContainEqual([DISPUTE, 'first_response']);
      expect(rows.compensations).toEqual([]);
      expect(rows.customer_compensations).toEqual([]);
    });
  });

  it('an acknowledgement records the milestone and the first response time, and stops its clock', async () => {
    await spec
      .given(e(filed()))
      .when(e(acknowledged(5)))
      .then((rows) => {
        expect(rows.disputes[0]).toMatchObject({ stage: 'acknowledged', acknowledged_at: at(5), first_response_seconds: 300, version: 2 });
        expect(rows.sla_deadlines.map((d) => d.kind)).not.toContain('first_response');
      });
  });

  it('a paid compensation is a compensation row, the customer compensated, and the dispute resolved at the first resolving event', async () => {
    await spec
      .given(e(filed()), e(acknowledged(5)), e(proposed('k-1', 10_000)), e(approved('k-1')), e(paid('k-1', 10_000)))
      .when(e(compensated()), e(closed(50)))
      .then({
        disputes: [
          {
            dispute_id: DISPUTE,
            stage: 'closed',
            status: 'closed',
            compensated_at: at(40),
            closed_at: at(50),
            resolved_at: at(40),
            first_response_seconds: 300,
          },
        ],
        compensations: [
          {
            compensation_id: 'k-1',
            dispute_id: DISPUTE,
            customer_id: 'c-1',
            type: 'refund',
            category: 'quality_defect',
            amount: 10_000,
            currency: 'CNY',
            status: 'paid',
            proposed_at: at(30),
            approved_at: at(31),
            paid_at: at(40),
          },
        ],
        customer_compensations: [{ dispute_id: DISPUTE, customer_id: 'c-1', compensated_at: at(40) }],
        sla_deadlines: [],
      });
  });

  it('an unpaid compensation keeps the dispute awaiting payment', async () => {
    await spec.given(e(filed()), e(acknowledged(5)), e(proposed('k-1', 10_000)), e(approved('k-1'))).then({
      disputes: [{ dispute_id: DISPUTE, status: 'awaiting_payment' }],
      compensations: [{ compensation_id: 'k-1', status: 'approved', paid_at: null }],
    });
  });

  it('an escalation records its forum milestone; a rejection resolves the dispute', async () => {
    await spec
      .given(e(filed()), e(acknowledged(5)), e(escalated('mediation', 20)))
      .then({ disputes: [{ dispute_id: DISPUTE, stage: 'mediation', mediated_at: at(20), arbitrated_at: null, resolved_at: null }] });
    await spec
      .given(e(filed()), e(acknowledged(5)), e(rejected(20)))
      .then({ disputes: [{ dispute_id: DISPUTE, status: 'rejected', rejected_at: at(20), resolved_at: at(20) }] });
  });

  it('keeps each dispute in its own row and ignores streams that are not disputes', async () => {
    await spec
      .orderBy('disputes', 'dispute_id')
      .given(e(filed()), other(filed({ customerId: 'c-2' }), 'd-2'), {
        streamId: 'agent-bob',
        type: 'PenaltyApplied',
        data: { breachId: 'b' },
      })
      .when(e(acknowledged(5)))
      .then({
        disputes: [
          { dispute_id: 'd-1', customer_id: 'c-1', acknowledged_at: at(5) },
          { dispute_id: 'd-2', customer_id: 'c-2', acknowledged_at: null },
        ],
      });
  });
});
