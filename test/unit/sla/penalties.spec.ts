import {
  decidePenalty,
  decideReversal,
  evolvePenalties,
  initialPenaltyState,
  PenaltyEvent,
  PenaltyInput,
  PenaltyState,
} from '../../../src/sla/domain/penalties';
import { DEFAULT_SLA_POLICY } from '../../../src/sla/domain/sla-policy';

const calendar = DEFAULT_SLA_POLICY.businessCalendar;
const input = (n: number, over: Partial<PenaltyInput> = {}): PenaltyInput => ({
  subjectType: 'agent',
  subjectId: 'a-1',
  breachId: `b-${n}`,
  disputeId: `d-${n}`,
  channel: 'chat',
  detectedAt: '2026-04-06T02:00:00.000Z',
  at: '2026-04-06T03:00:00.000Z', // Monday 11:00 Shanghai
  calendar,
  ...over,
});
const apply = (state: PenaltyState, events: PenaltyEvent[]) => events.reduce(evolvePenalties, state);

describe('agent penalties per calendar month', () => {
  it('deducts 2 points each; the 1st brings a warning and training due in 3 working days; the 3rd a 2-day suspension and an improvement report', () => {
    let state = initialPenaltyState();
    const all: PenaltyEvent[] = [];
    for (let n = 1; n <= 4; n++) {
      const events = decidePenalty(state, input(n));
      all.push(...events);
      state = apply(state, events);
    }
    const applied = all.map(
      (e) => e.data as { points: number; actions: string[]; confirmedInMonth: number; trainingDueAt: string | null; suspension: unknown },
    );
    expect(applied.map((a) => a.points)).toEqual([-2, -2, -2, -2]);
    expect(applied.map((a) => a.confirmedInMonth)).toEqual([1, 2, 3, 4]);
    expect(applied[0].actions).toEqual(['points_deducted', 'warning', 'training']);
    expect(applied[0].trainingDueAt).toBe('2026-04-09T03:00:00.000Z'); // Thursday 11:00 Shanghai
    expect(applied[1].actions).toEqual(['points_deducted']);
    expect(applied[2].actions).toEqual(['points_deducted', 'suspension', 'improvement_report']);
    expect(applied[2].suspension).toEqual({ workingDays: 2, startsAt: '2026-04-07T03:00:00.000Z' });
    expect(applied[3].actions).toEqual(['points_deducted']);
  });

  it("applies once per breach, and counts months in the calendar's time zone", () => {
    let state = apply(initialPenaltyState(), decidePenalty(initialPenaltyState(), input(1)));
    expect(decidePenalty(state, input(1))).toEqual([]);
    // 2026-04-30T17:00Z is already May 1st in Shanghai: a new month, so a new first breach.
    const may = decidePenalty(state, input(2, { detectedAt: '2026-04-30T17:00:00.000Z' }));
    expect(may[0].data).toMatchObject({ month: '2026-05', confirmedInMonth: 1, actions: ['points_deducted', 'warning', 'training'] });
    state = apply(state, may);
    expect([...state.applied.values()].map((p) => p.month)).toEqual(['2026-04', '2026-05']);
  });

  it("reverses an exempted breach's penalty once, restoring points and withdrawing its actions; it then no longer counts", () => {
    let state = apply(initialPenaltyState(), decidePenalty(initialPenaltyState(), input(1)));
    const reversal = decideReversal(state, {
      subjectType: 'agent',
      subjectId: 'a-1',
      breachId: 'b-1',
      reason: 'outage',
      at: '2026-04-07T00:00:00.000Z',
      calendar,
    });
    expect(reversal[0]).toMatchObject({ type: 'PenaltyReversed', data: { pointsRestored: 2, actionsWithdrawn: ['warning', 'training'] } });
    state = apply(state, reversal);
    expect(
      decideReversal(state, {
        subjectType: 'agent',
        subjectId: 'a-1',
        breachId: 'b-1',
        reason: 'again',
        at: '2026-04-07T00:00:00.000Z',
        calendar,
      }),
    ).toEqual([]);
    expect(
      decideReversal(state, {
        subjectType: 'agent',
        subjectId: 'a-1',
        breachId: 'never',
        reason: 'x',
        at: '2026-04-07T00:00:00.000Z',
        calendar,
      }),
    ).toEqual([]);
    expect(decidePenalty(state, input(2))[0].data).toMatchObject({
      confirmedInMonth: 1,
      actions: ['points_deducted', 'warning', 'training'],
    });
  });
});

describe('department penalties', () => {
  it('deduct 1 point each and bring a notice of criticism at the 10th in a month', () => {
    let state = initialPenaltyState();
    const actions: string[][] = [];
    for (let n = 1; n <= 11; n++) {
      const events = decidePenalty(state, input(n, { subjectType: 'department', subjectId: 'care' }));
      actions.push((events[0].data as { actions: string[] }).actions);
      expect((events[0].data as { points: number }).points).toBe(-1);
      state = apply(state, events);
    }
    expect(actions[9]).toEqual(['points_deducted', 'notice_of_criticism']);
    expect(actions.filter((a) => a.includes('notice_of_criticism'))).toHaveLength(1);
  });
});

describe("the ladder is a fold over the month's standing breaches (issue 14)", () => {
  const reverse = (breachId: string) => ({
    subjectType: 'agent' as const,
    subjectId: 'a-1',
    breachId,
    reason: 'outage',
    at: '2026-04-08T03:00:00.000Z',
    calendar,
  });
  const fourBreaches = () => {
    let state = initialPenaltyState();
    for (let n = 1; n <= 4; n++) state = apply(state, decidePenalty(state, input(n)));
    return state;
  };

  it('exempting the first breach moves the later ones down a rung: the suspension moves from the 3rd to the 4th', () => {
    const state = fourBreaches();
    const events = decideReversal(state, reverse('b-1'));
    expect(events.map((e) => [e.type, (e.data as { breachId: string }).breachId])).toEqual([
      ['PenaltyReversed', 'b-1'],
      ['PenaltyReversed', 'b-2'],
      ['PenaltyApplied', 'b-2'],
      ['PenaltyReversed', 'b-3'],
      ['PenaltyApplied', 'b-3'],
      ['PenaltyReversed', 'b-4'],
      ['PenaltyApplied', 'b-4'],
    ]);
    const reapplied = events
      .filter((e) => e.type === 'PenaltyApplied')
      .map((e) => e.data as { confirmedInMonth: number; actions: string[]; recomputedAfter?: string });
    expect(reapplied.map((a) => [a.confirmedInMonth, a.actions])).toEqual([
      [1, ['points_deducted', 'warning', 'training']],
      [2, ['points_deducted']],
      [3, ['points_deducted', 'suspension', 'improvement_report']],
    ]);
    expect(reapplied.every((a) => a.recomputedAfter === 'b-1')).toBe(true);
    const after = apply(state, events);
    // Points: 3 standing breaches, the exempted one restored.
    expect([...after.applied.values()].filter((p) => !p.reversed).reduce((n, p) => n + p.points, 0)).toBe(-6);
    expect(after.applied.get('b-1')!.exempted).toBe(true);
    // Exempting the same breach again changes nothing; a new breach is the 4th.
    expect(decideReversal(after, reverse('b-1'))).toEqual([]);
    expect(decidePenalty(after, input(5))[0].data).toMatchObject({ confirmedInMonth: 4, actions: ['points_deducted'] });
  });

  it('exempting the last breach re-decides nothing else', () => {
    const events = decideReversal(fourBreaches(), reverse('b-4'));
    expect(events.map((e) => e.type)).toEqual(['PenaltyReversed']);
  });
});
