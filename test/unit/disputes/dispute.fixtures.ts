import { CommandContext, DisputeCommand } from '../../../src/disputes/domain/dispute.commands';
import { DisputeEvent, DisputeFiled } from '../../../src/disputes/domain/dispute.events';
import { Actor, Role } from '../../../src/shared/actor';
import { Money } from '../../../src/shared/money';

export const DISPUTE = 'd-1';
export const T0 = '2026-03-02T02:00:00.000Z'; // a Monday, 10:00 in Shanghai
export const at = (minutesAfterT0: number) => new Date(Date.parse(T0) + minutesAfterT0 * 60_000).toISOString();
export const days = (n: number) => n * 24 * 60;
export const cny = (amount: number): Money => ({ amount, currency: 'CNY' });

export const actor = (role: Role, id = `${role}-1`): Actor => ({ id, roles: [role], department: 'after-sales' });
export const AGENT = actor('agent');
export const SUPERVISOR = actor('supervisor');
export const MANAGER = actor('manager');

export const ctx = (who: Actor = AGENT, minutes = 10): CommandContext => ({ actor: who, now: at(minutes) });

/** Builds a command with a context; `extra` goes into data. */
export function cmd<T extends DisputeCommand['type']>(
  type: T,
  data: Extract<DisputeCommand, { type: T }>['data'],
  context: CommandContext = ctx(),
): DisputeCommand {
  return { type, data, context } as DisputeCommand;
}

export function filed(overrides: Partial<DisputeFiled['data']> = {}): DisputeEvent {
  return {
    type: 'DisputeFiled',
    data: {
      disputeId: DISPUTE,
      at: T0,
      customerId: 'c-1',
      orderId: 'o-1',
      productSku: 'sku-1',
      channel: 'email',
      category: 'quality_defect',
      description: 'the kettle leaks',
      purchasedAt: '2026-02-25T00:00:00.000Z',
      deliveredAt: '2026-02-27T00:00:00.000Z',
      requestedRemedy: 'refund',
      amountClaimed: cny(19_900),
      proofOfPurchase: true,
      defectCode: 'LEAK',
      itemIntact: null,
      priority: 'normal',
      repeatDefect: false,
      suggestedRemedy: 'return or exchange; partial refund if the customer keeps the item',
      ...overrides,
    },
  };
}

export const acknowledged = (minutes = 5): DisputeEvent => ({
  type: 'DisputeAcknowledged',
  data: {
    disputeId: DISPUTE,
    at: at(minutes),
    message: 'sorry',
    complex: false,
    estimatedResolutionAt: null,
    plan: null,
    respondedAt: at(minutes),
  },
});

export const escalated = (forum: 'mediation' | 'arbitration' | 'litigation', minutes = 20): DisputeEvent => ({
  type: 'DisputeEscalated',
  data: { disputeId: DISPUTE, at: at(minutes), forum, institution: `${forum} body`, reason: 'no agreement' },
});

export const proposed = (
  compensationId: string,
  amount: number,
  requiredApprover: 'agent' | 'supervisor' | 'manager' = 'agent',
): DisputeEvent => ({
  type: 'CompensationProposed',
  data: {
    disputeId: DISPUTE,
    at: at(30),
    compensationId,
    type: 'refund',
    amount: cny(amount),
    reason: 'defect',
    basis: 'proposal',
    goodwill: false,
    eligibilityRule: 'refund within 7 days',
    customerFlagged: false,
    requiredApprover,
    proposedBy: 'agent-1',
  },
});

export const approved = (compensationId: string): DisputeEvent => ({
  type: 'CompensationApproved',
  data: { disputeId: DISPUTE, at: at(31), compensationId, approvedBy: 'agent-1', note: null, automatic: true },
});

export const paid = (compensationId: string, amount: number): DisputeEvent => ({
  type: 'CompensationPaid',
  data: { disputeId: DISPUTE, at: at(40), compensationId, amount: cny(amount), payoutId: `p-${compensationId}`, paymentReference: null },
});

export const compensated = (): DisputeEvent => ({
  type: 'DisputeCompensated',
  data: { disputeId: DISPUTE, at: at(40), customerId: 'c-1', compensationIds: ['k-1'], totalPaid: cny(10_000) },
});

export const closed = (minutes = 50): DisputeEvent => ({
  type: 'DisputeClosed',
  data: { disputeId: DISPUTE, at: at(minutes), resolution: 'refunded', reopenDeadline: at(minutes + days(15)) },
});

export const rejected = (minutes = 20): DisputeEvent => ({
  type: 'DisputeRejected',
  data: { disputeId: DISPUTE, at: at(minutes), reason: 'misuse', escalationDeadline: at(minutes + days(15)) },
});

export const customerOffer = (amount: number, minutes = 15): DisputeEvent => ({
  type: 'DisputeNegotiated',
  data: { disputeId: DISPUTE, at: at(minutes), action: 'offer', party: 'customer', remedy: 'refund', amount: cny(amount), note: null },
});
