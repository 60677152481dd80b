import { createHash } from 'node:crypto';
import { DisputeState } from '../../disputes/domain/dispute.state';
import { Money } from '../../shared/money';

import { HOUR, MINUTE, AGENTS, SUPERVISORS, MANAGERS, PRODUCTS, DEFECTS, DESCRIPTIONS, REMEDY_FOR, MONEY } from './seed-data';
import { DAY_MS, Priority, Remedy } from '../../disputes/domain/dispute.types';

import { DisputePlan, Script, SeedRandom } from './scenarios';

/** One dispute's story. Steps later than `now` are never yielded: recent disputes stay open, as in life. */
export function* disputeScript(plan: DisputePlan, rnd: SeedRandom, customers: number): Script {
  let t = plan.filedAt.getTime();
  const later = (minMs: number, maxMs: number) => new Date((t += rnd.int(minMs, maxMs)));
  const agent = AGENTS[plan.index % AGENTS.length];
  const supervisor = SUPERVISORS.find((s) => s.department === agent.department) ?? SUPERVISORS[0];
  const manager = MANAGERS[0];
  const { category } = plan;
  const remedy = rnd.pick(REMEDY_FOR[category]);
  const claimed = rnd.int(20, 1500) * 100;
  const purchasedAt = new Date(t - rnd.int(2, 45) * DAY_MS - rnd.int(0, 23) * HOUR);
  const deliveredAt = new Date(purchasedAt.getTime() + rnd.int(1, 5) * DAY_MS);
  const quality = ['quality_defect', 'not_as_described', 'wrong_item', 'missing_items'].includes(category);

  let state: DisputeState = yield {
    at: new Date(t),
    actor: agent,
    type: 'FileDispute',
    data: {
      customerId: `cust-${String(rnd.int(1, customers)).padStart(5, '0')}`,
      orderId: `order-${100000 + plan.index}`,
      productSku: rnd.pick(PRODUCTS),
      channel: plan.channel,
      category,
      description: rnd.pick(DESCRIPTIONS[category]),
      purchasedAt: purchasedAt.toISOString(),
      ...(deliveredAt.getTime() < t ? { deliveredAt: deliveredAt.toISOString() } : {}),
      requestedRemedy: remedy,
      ...(MONEY.includes(remedy) ? { amountClaimed: money(claimed) } : {}),
      proofOfPurchase: rnd.chance(0.9),
      ...(quality ? { defectCode: rnd.pick(DEFECTS) } : {}),
      ...(category === 'changed_mind' ? { itemIntact: rnd.chance(0.8) } : {}),
      priority: rnd.weighted<Priority>({ low: 15, normal: 60, high: 20, urgent: 5 }),
    },
  };
  if (plan.scenario === 'just_filed') return;

  // Most disputes are assigned first; phone and chat are often answered by whoever took the call.
  if (rnd.chance(0.85)) {
    const selfAssign = rnd.chance(0.4);
    state = yield {
      at: later(5 * MINUTE, 6 * HOUR),
      actor: selfAssign ? agent : supervisor,
      type: 'AssignDispute',
      data: { agentId: agent.id, department: agent.department! },
    };
  }
  const responseDelay = plan.channel === 'phone' || plan.channel === 'chat' ? [2 * MINUTE, 2 * HOUR] : [30 * MINUTE, 40 * HOUR];
  state = yield {
    at: later(responseDelay[0], responseDelay[1]),
    actor: agent,
    type: 'AcknowledgeDispute',
    data: { message: 'We are sorry for the trouble; we are looking into it.' },
  };
  if (plan.scenario === 'acknowledged') return;

  const close = function* (resolution: string): Script {
    state = yield { at: later(HOUR, 3 * DAY_MS), actor: agent, type: 'CloseDispute', data: { resolution } };
    if (rnd.chance(0.6))
      state = yield { at: later(HOUR, 5 * DAY_MS), actor: agent, type: 'RecordFeedback', data: { score: rnd.int(1, 5) } };
  };
  /** Approve (by whoever may) and pay every unpaid compensation. */
  const settle = function* (): Script {
    for (const c of state.compensations.filter((x) => x.status === 'pending_approval')) {
      const approver = c.requiredApprover === 'manager' ? manager : supervisor;
      state = yield {
        at: later(HOUR, 2 * DAY_MS),
        actor: approver,
        type: 'ApproveCompensation',
        data: { compensationId: c.compensationId, note: 'checked against the policy' },
      };
    }
    for (const c of state.compensations.filter((x) => x.status === 'approved')) {
      state = yield {
        at: later(30 * MINUTE, 3 * DAY_MS),
        actor: agent,
        type: 'PayCompensation',
        data: { compensationId: c.compensationId, paymentReference: `pay-${plan.index}-${c.compensationId.slice(0, 8)}` },
      };
    }
  };
  const amountFor = (r: Remedy, max = claimed) =>
    MONEY.includes(r)
      ? money(rnd.int(10, Math.max(10, Math.floor(max / 100))) * 100)
      : rnd.chance(0.5)
        ? money(rnd.int(5, 50) * 100)
        : undefined;

  switch (plan.scenario) {
    case 'compensated_and_closed':
    case 'awaiting_approval':
    case 'goodwill_non_money': {
      const type: Remedy =
        plan.scenario === 'goodwill_non_money'
          ? rnd.pick(['coupon', 'gift', 'service_upgrade', 'apology', 'reship'] as Remedy[])
          : MONEY.includes(remedy)
            ? remedy
            : rnd.pick(['refund', 'compensation'] as Remedy[]);
      const amount = plan.scenario === 'awaiting_approval' ? money(rnd.int(650, 2000) * 100) : amountFor(type);
      state = yield {
        at: later(HOUR, 3 * DAY_MS),
        actor: agent,
        type: 'ProposeCompensation',
        data: { type, ...(amount ? { amount } : {}), reason: 'per the handling playbook' },
      };
      if (plan.scenario === 'awaiting_approval' && state.compensations.some((c) => c.status === 'pending_approval')) return;
      yield* settle();
      yield* close('compensation paid');
      return;
    }
    case 'negotiated': {
      const offer = amountFor('refund', claimed);
      state = yield {
        at: later(HOUR, DAY_MS),
        actor: agent,
        type: 'NegotiateDispute',
        data: { action: 'offer', party: 'customer', remedy: 'refund', amount: money(claimed) },
      };
      state = yield {
        at: later(HOUR, DAY_MS),
        actor: agent,
        type: 'NegotiateDispute',
        data: { action: 'counter', party: 'merchant', remedy: 'refund', amount: offer },
      };
      state = yield {
        at: later(HOUR, 2 * DAY_MS),
        actor: agent,
        type: 'NegotiateDispute',
        data: { action: 'accept', party: 'customer', note: 'customer agreed' },
      };
      yield* settle();
      yield* close('agreed refund paid');
      return;
    }
    case 'mediated':
    case 'arbitrated':
    case 'litigated': {
      state = yield {
        at: later(HOUR, DAY_MS),
        actor: agent,
        type: 'NegotiateDispute',
        data: { action: 'offer', party: 'merchant', remedy: 'coupon', amount: money(2000) },
      };
      state = yield {
        at: later(HOUR, 2 * DAY_MS),
        actor: agent,
        type: 'NegotiateDispute',
        data: { action: 'reject', party: 'customer', note: 'wants a full refund' },
      };
      if (plan.scenario === 'litigated') {
        state = yield {
          at: later(DAY_MS, 5 * DAY_MS),
          actor: agent,
          type: 'EscalateDispute',
          data: { forum: 'litigation', institution: "District people's court", reason: 'customer filed a lawsuit' },
        };
        const won = rnd.chance(0.5);
        state = yield {
          at: later(20 * DAY_MS, 40 * DAY_MS),
          actor: agent,
          type: 'RecordOutcome',
          data: won
            ? { forum: 'litigation', result: 'judgment', amount: money(claimed), terms: 'refund the price' }
            : { forum: 'litigation', result: 'dismissed' },
        };
        yield* settle();
        yield* close(won ? 'judgment paid' : 'claim dismissed by the court');
        return;
      }
      state = yield {
        at: later(DAY_MS, 4 * DAY_MS),
        actor: agent,
        type: 'EscalateDispute',
        data: { forum: 'mediation', institution: 'Marketplace platform', reason: 'no agreement' },
      };
      if (plan.scenario === 'mediated') {
        state = yield {
          at: later(2 * DAY_MS, 10 * DAY_MS),
          actor: agent,
          type: 'RecordOutcome',
          data: {
            forum: 'mediation',
            result: 'settled',
            amount: money(Math.floor(claimed / 200) * 100 || 1000),
            terms: 'half of the claim',
          },
        };
        yield* settle();
        yield* close('mediated settlement paid');
        return;
      }
      state = yield {
        at: later(2 * DAY_MS, 10 * DAY_MS),
        actor: agent,
        type: 'RecordOutcome',
        data: { forum: 'mediation', result: 'failed' },
      };
      // The arbitration agreement goes on file first (the evidence policy enforces it, issue 15).
      const agreement = Buffer.from(`%PDF-1.7\narbitration agreement, order ${plan.index}\n%%EOF\n`);
      state = yield {
        at: new Date((t += MINUTE)),
        actor: agent,
        type: 'AttachEvidence',
        data: {
          kind: 'arbitration_agreement',
          fileName: 'arbitration-agreement.pdf',
          contentType: 'application/pdf',
          size: agreement.length,
          sha256: createHash('sha256').update(agreement).digest('hex'),
        },
        content: agreement,
      };
      state = yield {
        at: later(DAY_MS, 5 * DAY_MS),
        actor: agent,
        type: 'EscalateDispute',
        data: { forum: 'arbitration', institution: 'City arbitration commission', reason: 'mediation failed' },
      };
      state = yield {
        at: later(10 * DAY_MS, 30 * DAY_MS),
        actor: agent,
        type: 'RecordOutcome',
        data: {
          forum: 'arbitration',
          result: 'award',
          amount: money(Math.floor((claimed * 0.7) / 100) * 100 || 1000),
          terms: 'refund 70%',
        },
      };
      yield* settle();
      yield* close('award paid');
      return;
    }
    case 'rejected': {
      state = yield {
        at: later(HOUR, 3 * DAY_MS),
        actor: supervisor,
        type: 'RejectDispute',
        data: { reason: category === 'misuse' ? 'damage caused by misuse' : 'outside the policy' },
      };
      if (rnd.chance(0.5)) yield* close('rejected, customer informed');
      return;
    }
    case 'withdrawn':
      state = yield {
        at: later(HOUR, 5 * DAY_MS),
        actor: agent,
        type: 'WithdrawDispute',
        data: { reason: 'customer no longer wants to pursue it' },
      };
      return;
    case 'reopened': {
      state = yield {
        at: later(HOUR, 2 * DAY_MS),
        actor: agent,
        type: 'ProposeCompensation',
        data: { type: 'coupon', amount: money(1000), reason: 'apology coupon' },
      };
      yield* settle();
      state = yield { at: later(HOUR, DAY_MS), actor: agent, type: 'CloseDispute', data: { resolution: 'coupon sent' } };
      state = yield { at: later(DAY_MS, 10 * DAY_MS), actor: agent, type: 'ReopenDispute', data: { reason: 'the problem came back' } };
      state = yield {
        at: later(30 * MINUTE, 20 * HOUR),
        actor: agent,
        type: 'AcknowledgeDispute',
        data: { message: 'We reopened your case.' },
      };
      state = yield {
        at: later(HOUR, 3 * DAY_MS),
        actor: agent,
        type: 'ProposeCompensation',
        data: { type: 'exchange', reason: 'exchange after the defect came back' },
      };
      yield* settle();
      yield* close('exchanged');
      return;
    }
  }
}

const money = (amount: number): Money => ({ amount, currency: 'CNY' });
