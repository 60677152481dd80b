import fc from 'fast-check';
import { ACTIONS, DisputeCommand } from '../../src/disputes/domain/dispute.commands';
import { decide } from '../../src/disputes/domain/dispute.decide';
import { DomainError } from '../../src/shared/errors';
import { DisputeEvent } from '../../src/disputes/domain/dispute.events';
import { DisputeStateOrNone } from '../../src/disputes/domain/dispute.state';
import { evolve, foldDispute } from '../../src/disputes/domain/dispute.evolve';
import { AUTHORITY_LIMITS } from '../../src/disputes/domain/authority';
import { FORUMS, Remedy } from '../../src/disputes/domain/dispute.types';
import { Actor } from '../../src/shared/actor';
import { actor, at, cny, DISPUTE, filed } from '../unit/disputes/dispute.fixtures';

/**
 * Issue 12, finding 1: an agent alone recorded a 100,000,000.00 arbitration award (or a court judgment), saw it
 * approved and paid it. One authority rule now covers every amount that can become a payout, whatever the forum:
 * no sequence of commands by one actor pays more than that actor's limit on a dispute.
 */
const REMEDIES: Remedy[] = ['refund', 'compensation', 'coupon', 'exchange', 'repair', 'gift'];
const amount = fc.oneof(fc.integer({ min: 1, max: 30_000 }), fc.integer({ min: 1, max: 10_000_000_000 }));

/** Commands one actor can send on one dispute, with amounts anywhere from small to absurd. */
const step = fc.oneof(
  fc.record({ type: fc.constant('AcknowledgeDispute' as const) }),
  fc.record({ type: fc.constant('AssignDispute' as const) }),
  fc.record({
    type: fc.constant('Offer' as const),
    party: fc.constantFrom('merchant', 'customer'),
    remedy: fc.constantFrom(...REMEDIES),
    amount,
  }),
  fc.record({ type: fc.constant('Accept' as const), party: fc.constantFrom('merchant', 'customer') }),
  fc.record({ type: fc.constant('EscalateDispute' as const), forum: fc.constantFrom(...FORUMS) }),
  fc.record({ type: fc.constant('RecordOutcome' as const), result: fc.constantFrom('settled', 'award', 'judgment'), amount }),
  fc.record({ type: fc.constant('ProposeCompensation' as const), remedy: fc.constantFrom(...REMEDIES), amount }),
  fc.record({ type: fc.constant('PayAll' as const) }),
  fc.record({ type: fc.constant('CloseDispute' as const) }),
  fc.record({ type: fc.constant('ReopenDispute' as const) }),
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

function commandsFor(s: Step, state: NonNullable<DisputeStateOrNone>, who: Actor, minute: number, n: number): DisputeCommand[] {
  const context = { actor: who, now: at(minute) };
  const common = { compensationId: `k-${n}`, recentCompensatedDisputes: 0 };
  switch (s.type) {
    case 'AcknowledgeDispute':
      return [{ type: s.type, data: { message: 'sorry' }, context }];
    case 'AssignDispute':
      return [{ type: s.type, data: { agentId: who.id, department: who.department! }, context }];
    case 'Offer':
      return [
        {
          type: 'NegotiateDispute',
          data: { action: 'offer', party: s.party as 'merchant', remedy: s.remedy, amount: cny(s.amount), ...common },
          context,
        },
      ];
    case 'Accept':
      return [{ type: 'NegotiateDispute', data: { action: 'accept', party: s.party as 'merchant', ...common }, context }];
    case 'EscalateDispute':
      return [{ type: s.type, data: { forum: s.forum, institution: 'body', reason: 'stuck' }, context }];
    case 'RecordOutcome': {
      const forum = state.forums.find((f) => f.result === null)?.forum ?? 'mediation';
      return [{ type: s.type, data: { forum, result: s.result as 'award', amount: cny(s.amount), ...common }, context }];
    }
    case 'ProposeCompensation':
      return [{ type: s.type, data: { type: s.remedy, amount: cny(s.amount), reason: 'goodwill', ...common }, context }];
    case 'PayAll':
      return state.compensations
        .filter((c) => c.status === 'approved')
        .map((c) => ({
          type: 'PayCompensation' as const,
          data: { compensationId: c.compensationId, payout: { payoutId: `p-${c.compensationId}` } },
          context,
        }));
    case 'CloseDispute':
      return [{ type: s.type, data: { resolution: 'done' }, context }];
    case 'ReopenDispute':
      return [{ type: s.type, data: { reason: 'again' }, context }];
  }
}

function paidBy(who: Actor, steps: Step[]): number {
  let state = foldDispute([filed({ department: who.department })]);
  let paid = 0;
  steps.forEach((s, i) => {
    for (const command of commandsFor(s, state!, who, 10 + i, i)) {
      let events: DisputeEvent[];
      try {
        events = decide(command, state);
      } catch (error) {
        if (error instanceof DomainError) continue;
        throw error;
      }
      for (const e of events) if (e.type === 'CompensationPaid') paid += e.data.amount?.amount ?? 0;
      state = events.reduce<DisputeStateOrNone>(evolve, state);
    }
  });
  return paid;
}

describe('one authority rule for all money (issue 12)', () => {
  for (const role of ['agent', 'supervisor'] as const) {
    it(`no sequence of commands by one ${role} pays more than a ${role}'s limit on a dispute`, () => {
      const who = actor(role);
      fc.assert(
        fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => paidBy(who, steps) <= AUTHORITY_LIMITS[role]),
        { numRuns: 400 },
      );
    });
  }

  it('the property can fail: a manager alone may pay any amount (the limit is the only thing it checks)', () => {
    const who = actor('manager');
    // A manager cannot negotiate or record outcomes, but proposes and pays.
    expect(ACTIONS.ProposeCompensation.roles).toContain('manager');
    const paid = paidBy(who, [{ type: 'ProposeCompensation', remedy: 'compensation', amount: 10_000_000_000 }, { type: 'PayAll' }]);
    expect(paid).toBe(10_000_000_000);
  });

  it.each([
    ['arbitration', 'award'],
    ['litigation', 'judgment'],
    ['mediation', 'settled'],
  ] as const)('a %s %s of 100,000,000.00 recorded by an agent waits for a manager, and cannot be paid by the agent', (forum, result) => {
    const agent = actor('agent');
    let state = foldDispute([filed({ department: 'after-sales' })]);
    const run = (command: DisputeCommand) => {
      const events = decide(command, state);
      state = events.reduce<DisputeStateOrNone>(evolve, state);
      return events;
    };
    run({ type: 'EscalateDispute', data: { forum, institution: 'body', reason: 'stuck' }, context: { actor: agent, now: at(10) } });
    const events = run({
      type: 'RecordOutcome',
      data: { forum, result, amount: cny(10_000_000_000), compensationId: 'k-1', recentCompensatedDisputes: 0 },
      context: { actor: agent, now: at(20) },
    });
    expect(events.map((e) => e.type)).not.toContain('CompensationApproved');
    expect(state!.compensations[0]).toMatchObject({ status: 'pending_approval', requiredApprover: 'manager' });
    expect(() =>
      decide(
        { type: 'PayCompensation', data: { compensationId: 'k-1', payout: { payoutId: 'p' } }, context: { actor: agent, now: at(30) } },
        state,
      ),
    ).toThrow(/awaits approval by a manager/);
    expect(state!.id).toBe(DISPUTE);
  });
});
