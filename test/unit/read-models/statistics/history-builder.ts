import { HistoryEvent, DisputeHistory } from '../../../../src/read-models/statistics/report-kit';
import { historyOf } from '../../../../src/read-models/statistics/dispute-histories';

export const T0 = '2026-03-02T02:00:00.000Z';
export const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const cny = (amount: number) => ({ amount, currency: 'CNY' });
let position = 0;

/** A dispute's events written as a story: each step a type, its minute after T0 and its data (recorded then). */
export class Story {
  readonly events: HistoryEvent[] = [];
  constructor(readonly id: string) {}

  private add(type: string, minute: number, data: Record<string, unknown>): this {
    const time = at(minute);
    this.events.push({
      eventId: `${this.id}-${this.events.length}`,
      position: ++position,
      type,
      recordedAt: time,
      data: { disputeId: this.id, at: time, ...data },
    });
    return this;
  }

  filed(
    minute: number,
    f: { category: string; channel: string; customerId: string; orderId: string; sku: string; claimed: number | null; requested: string },
  ) {
    return this.add('DisputeFiled', minute, {
      customerId: f.customerId,
      orderId: f.orderId,
      productSku: f.sku,
      channel: f.channel,
      category: f.category,
      description: 'secret words',
      purchasedAt: '2026-02-25T00:00:00.000Z',
      deliveredAt: '2026-02-27T00:00:00.000Z',
      requestedRemedy: f.requested,
      amountClaimed: f.claimed === null ? null : cny(f.claimed),
      proofOfPurchase: true,
      defectCode: null,
      itemIntact: null,
      priority: 'normal',
      repeatDefect: false,
      suggestedRemedy: 'see playbook',
      department: null,
    });
  }
  acknowledged(minute: number) {
    return this.add('DisputeAcknowledged', minute, {
      message: 'hi',
      complex: false,
      estimatedResolutionAt: null,
      plan: null,
      respondedAt: at(minute),
    });
  }
  assigned(minute: number, agentId: string, department: string) {
    return this.add('DisputeAssigned', minute, { agentId, department, previousAgentId: null });
  }
  escalated(minute: number, forum: string) {
    return this.add('DisputeEscalated', minute, { forum, institution: 'body', reason: 'stuck' });
  }
  proposed(minute: number, compensationId: string, type: string, amount: number | null, reason = 'because') {
    return this.add('CompensationProposed', minute, {
      compensationId,
      type,
      amount: amount === null ? null : cny(amount),
      reason,
      basis: 'proposal',
      goodwill: false,
      eligibilityRule: 'rule',
      customerFlagged: false,
      requiredApprover: 'agent',
      proposedBy: 'agent-1',
    });
  }
  approved(minute: number, compensationId: string) {
    return this.add('CompensationApproved', minute, { compensationId, approvedBy: 'sup-1', note: null, automatic: false });
  }
  declined(minute: number, compensationId: string) {
    return this.add('CompensationDeclined', minute, { compensationId, declinedBy: 'sup-1', reason: 'no' });
  }
  paid(minute: number, compensationId: string, amount: number) {
    return this.add('CompensationPaid', minute, { compensationId, amount: cny(amount), payoutId: 'p', paymentReference: null });
  }
  compensated(minute: number, customerId: string, total: number) {
    return this.add('DisputeCompensated', minute, { customerId, compensationIds: [], totalPaid: cny(total) });
  }
  closed(minute: number) {
    return this.add('DisputeClosed', minute, { resolution: 'done', reopenDeadline: at(minute + 15 * 1440) });
  }
  reopened(minute: number) {
    return this.add('DisputeReopened', minute, { reason: 'again' });
  }
  feedback(minute: number, score: number) {
    return this.add('FeedbackReceived', minute, { score, comment: 'call me' });
  }

  history(asKnownAt?: string): DisputeHistory | null {
    return historyOf(this.events, asKnownAt);
  }
}

/** The three disputes every statistics spec reads (hand-computed expectations in statistics.spec.ts). */
export function threeDisputes(): Story[] {
  const a = new Story('a')
    .filed(0, {
      category: 'quality_defect',
      channel: 'email',
      customerId: 'c-1',
      orderId: 'o-1',
      sku: 'sku-1',
      claimed: 19_900,
      requested: 'refund',
    })
    .acknowledged(5)
    .assigned(10, 'agent-1', 'returns')
    .proposed(30, 'k-a', 'refund', 10_000)
    .approved(31, 'k-a')
    .paid(40, 'k-a', 10_000)
    .compensated(40, 'c-1', 10_000)
    .closed(50)
    .feedback(60, 4);
  const b = new Story('b')
    .filed(100, {
      category: 'delayed_shipment',
      channel: 'chat',
      customerId: 'c-1',
      orderId: 'o-2',
      sku: 'sku-2',
      claimed: 20_000,
      requested: 'compensation',
    })
    .assigned(105, 'agent-2', 'returns')
    .escalated(120, 'mediation')
    .proposed(130, 'k-b1', 'coupon', null, '10% discount coupon for the next purchase')
    .approved(131, 'k-b1')
    .proposed(132, 'k-b2', 'service_upgrade', null, 'three months')
    .approved(133, 'k-b2')
    .closed(150)
    .feedback(155, 2);
  const c = new Story('c')
    .filed(200, {
      category: 'quality_defect',
      channel: 'phone',
      customerId: 'c-3',
      orderId: 'o-1',
      sku: 'sku-1',
      claimed: 5_000,
      requested: 'refund',
    })
    .acknowledged(210)
    .proposed(220, 'k-c', 'refund', 3_000)
    .declined(221, 'k-c')
    .closed(250)
    .reopened(270);
  return [a, b, c];
}
