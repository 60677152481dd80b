import { SlaSupervisionProjection } from '../../../src/read-models/sla-supervision/sla-supervision.projection';
import { GivenEvent, ProjectionSpec } from '../../support/projection-spec';

/** Issue 14: remedies (with value, delivery and revocation) and the investigation queue, from dispute events. */
const spec = ProjectionSpec.for(() => new SlaSupervisionProjection());
const D = 'dispute-d-1';
const breached: GivenEvent = {
  streamId: D,
  type: 'SlaBreached',
  data: {
    disputeId: 'd-1',
    at: '2026-04-06T03:00:00.000Z',
    breachId: 'b-1',
    kind: 'first_response',
    clockKey: 'first_response:0',
    dueAt: '2026-04-06T02:00:00.000Z',
    detectedAt: '2026-04-06T03:00:00.000Z',
    source: 'automatic',
    assignee: 'agent-a',
    department: 'care',
    proof: null,
    note: null,
    investigationDueAt: '2026-04-09T03:00:00.000Z',
  },
};
const issued = (remedy: 'apology' | 'coupon', extra: object = {}): GivenEvent => ({
  streamId: D,
  type: 'BreachRemedyIssued',
  data: {
    disputeId: 'd-1',
    at: '2026-04-07T03:00:00.000Z',
    remedyId: `b-1-${remedy}`,
    breachId: 'b-1',
    remedy,
    reason: remedy,
    coupon: remedy === 'coupon' ? { percent: 10, appliesTo: { amount: 19_900, currency: 'CNY' } } : null,
    upgradeUntil: null,
    apology: remedy === 'apology' ? { channel: 'email', draft: 'sorry' } : null,
    assignee: 'agent-a',
    department: 'care',
    issuedBy: 'sup',
    ...extra,
  },
});
const event = (type: string, data: object): GivenEvent => ({ streamId: D, type, data: { disputeId: 'd-1', ...data } });

describe('sla-supervision read model (given events → rows)', () => {
  it('opens an investigation with its deadline, then marks it overdue, then decided', async () => {
    await spec.given(breached).then({
      sla_investigations: [{ breach_id: 'b-1', status: 'open', due_at: '2026-04-09T03:00:00.000Z', department: 'care', overdue_at: null }],
    });
    await spec
      .given(
        breached,
        event('SlaInvestigationOverdue', { at: '2026-04-09T04:00:00.000Z', breachId: 'b-1', dueAt: '2026-04-09T03:00:00.000Z' }),
        event('SlaBreachConfirmed', { at: '2026-04-10T00:00:00.000Z', breachId: 'b-1', reason: 'x', confirmedBy: 's', delayMs: 1 }),
      )
      .then({
        sla_investigations: [
          { breach_id: 'b-1', status: 'confirmed', overdue_at: '2026-04-09T04:00:00.000Z', decided_at: '2026-04-10T00:00:00.000Z' },
        ],
      });
  });

  it('keeps remedies with their value; an apology sent is delivered, an exemption revokes with its reason', async () => {
    await spec
      .given(
        breached,
        issued('apology'),
        issued('coupon'),
        event('ApologySent', {
          at: '2026-04-07T05:00:00.000Z',
          remedyId: 'b-1-apology',
          breachId: 'b-1',
          channel: 'phone',
          text: 't',
          sentBy: 'a',
        }),
        event('BreachRemedyRevoked', {
          at: '2026-04-08T00:00:00.000Z',
          remedyId: 'b-1-coupon',
          breachId: 'b-1',
          reason: 'breach exempted: outage',
          revokedBy: 's',
        }),
      )
      .then({
        sla_remedies: [
          { remedy_id: 'b-1-apology', status: 'delivered', channel: 'phone', delivered_at: '2026-04-07T05:00:00.000Z', department: 'care' },
          {
            remedy_id: 'b-1-coupon',
            status: 'revoked',
            coupon_percent: 10,
            applies_to_amount: 19_900,
            revoke_reason: 'breach exempted: outage',
          },
        ],
      });
  });

  it('reads schema 1 remedies (compensations with basis sla_breach) as issued entitlements, and ignores other compensations', async () => {
    const legacy = (compensationId: string, basis: string, type: string): GivenEvent =>
      event('CompensationProposed', {
        at: '2026-04-07T03:00:00.000Z',
        compensationId,
        type,
        amount: null,
        reason: 'r',
        basis,
        goodwill: false,
        eligibilityRule: 'x',
        customerFlagged: false,
        requiredApprover: 'agent',
        proposedBy: 's',
      });
    await spec.given(breached, legacy('b-1-coupon', 'sla_breach', 'coupon'), legacy('k-1', 'proposal', 'refund')).then({
      sla_remedies: [
        { remedy_id: 'b-1-coupon', breach_id: 'b-1', type: 'coupon', status: 'issued', coupon_percent: 10, department: 'care' },
      ],
    });
  });
});
