import { foldDispute } from '../../../src/disputes/domain/dispute.evolve';
import { DisputeEvent } from '../../../src/disputes/domain/dispute.events';
import { disputeClocks, overdueClocks } from '../../../src/sla/domain/dispute-clocks';
import { disputeDue } from '../../../src/read-models/disputes/dispute-due';
import { simulateBreaches, whatIf } from '../../../src/sla-supervision/domain/what-if';
import { DEFAULT_SLA_POLICY } from '../../../src/sla/domain/sla-policy';
import { acknowledged, approved, at, escalated, filed, paid, proposed } from '../disputes/dispute.fixtures';

const policy = DEFAULT_SLA_POLICY;

describe("a dispute's SLA clocks", () => {
  it('runs first response (business hours for email), resolution and payment clocks', () => {
    const state = foldDispute([filed(), proposed('k-1', 100), approved('k-1')])!;
    const clocks = disputeClocks(state, policy);
    expect(clocks.map((c) => [c.key, c.running])).toEqual([
      ['first_response:0', true],
      ['resolution:0', true],
      ['payment:k-1', true],
    ]);
    // Filed Monday 10:00 Shanghai by email: 8 working hours → Monday 18:00 Shanghai.
    expect(clocks[0].dueAt).toBe('2026-03-02T10:00:00.000Z');
  });

  it('extends the first response inside a peak window and pauses resolution while a third party holds the case', () => {
    const state = foldDispute([filed({ peakExtensionPercent: 50 }), escalated('mediation')])!;
    const [first, resolution] = disputeClocks(state, policy);
    expect(first.dueAt).toBe('2026-03-03T05:00:00.000Z'); // 12 working hours: Tuesday 13:00 Shanghai
    expect(resolution.dueAt).toBeNull();
  });

  it('gives the queue the same due time as the scheduler, peak extension included', () => {
    const state = foldDispute([filed({ peakExtensionPercent: 50 })])!;
    const [first] = disputeClocks(state, policy);
    expect(disputeDue(state, policy)).toEqual({ kind: 'first_response', dueAt: first.dueAt, atRiskAt: first.atRiskAt });
    expect(first.dueAt).toBe('2026-03-03T05:00:00.000Z');
    expect(first.atRiskAt).toBe('2026-03-03T02:00:00.000Z'); // 75% of 12 working hours = 9: Tuesday 10:00 Shanghai
  });

  it('stops clocks when answered or paid, and reports only running overdue clocks without a breach', () => {
    const state = foldDispute([filed(), acknowledged(5), proposed('k-1', 100), approved('k-1'), paid('k-1', 100)])!;
    expect(
      disputeClocks(state, policy)
        .filter((c) => c.running)
        .map((c) => c.key),
    ).toEqual(['resolution:0']);
    const late = foldDispute([filed()])!;
    expect(overdueClocks(late, policy, '2026-03-03T02:00:00.000Z').map((c) => c.key)).toEqual(['first_response:0']);
    expect(overdueClocks(late, policy, at(60))).toEqual([]);
  });
});

describe('what-if replay', () => {
  it('finds the breaches a policy would have had, and the difference a proposed one makes', () => {
    const history = [filed({ channel: 'chat' }), acknowledged(10)]; // answered after 10 minutes
    const breaches = simulateBreaches(history, () => policy, at(100));
    expect(breaches).toEqual([expect.objectContaining({ clockKey: 'first_response:0', delayMs: 10 * 60_000 - 60_000 })]);
    const relaxed = {
      ...policy,
      version: 9,
      firstResponse: { ...policy.firstResponse, chat: { target: 'PT15M', clock: 'calendar' as const } },
    };
    const report = whatIf([history], () => policy, relaxed, at(100));
    expect(report.current.breaches.first_response).toBe(1);
    expect(report.proposed.breaches.first_response).toBe(0);
    expect(report.current.remedies).toEqual({ apology: 1, coupon: 1, service_upgrade: 0 });
    expect(report.onlyUnderCurrent).toHaveLength(1);
  });
});

describe('what-if replay and the real penalties use one ladder (issue 14)', () => {
  it("counts the ladder's actions per agent and month: the 3rd first-response breach brings the suspension", () => {
    const assigned = (id: string) => ({
      type: 'DisputeAssigned' as const,
      data: { disputeId: id, at: at(0), agentId: 'agent-w', department: 'care', previousAgentId: null },
    });
    const histories = ['w-1', 'w-2', 'w-3'].map((id): DisputeEvent[] => [
      { ...filed({ channel: 'chat' }), data: { ...filed({ channel: 'chat' }).data, disputeId: id } } as DisputeEvent,
      assigned(id),
    ]);
    const report = whatIf(histories, () => policy, policy, at(100));
    expect(report.current.breaches.first_response).toBe(3);
    expect(report.current.penaltyActions).toMatchObject({ warning: 1, training: 1, suspension: 1, improvement_report: 1 });
    expect(report.current.penaltyActions.notice_of_criticism).toBeUndefined();
  });
});
