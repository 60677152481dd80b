import {
  decidePenalty,
  evolvePenalties,
  initialPenaltyState,
  openSuspension,
  penaltyDecider,
  PenaltyEvent,
  PenaltyState,
} from '../../../src/sla/domain/penalties';
import { DEFAULT_SLA_POLICY } from '../../../src/sla/domain/sla-policy';
import { DomainError } from '../../../src/shared/errors';

/** Issue 14: training, the improvement report and reinstatement on the agent's penalty stream. */
const calendar = DEFAULT_SLA_POLICY.businessCalendar;
const AT = '2026-04-06T03:00:00.000Z';
const apply = (state: PenaltyState, events: PenaltyEvent[]) => events.reduce(evolvePenalties, state);
function suspended(): PenaltyState {
  let state = initialPenaltyState();
  for (let n = 1; n <= 3; n++)
    state = apply(
      state,
      decidePenalty(state, {
        subjectType: 'agent',
        subjectId: 'a-1',
        breachId: `b-${n}`,
        disputeId: `d-${n}`,
        channel: 'chat',
        detectedAt: AT,
        at: AT,
        calendar,
      }),
    );
  return state;
}
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a refusal');
};
const submit = (by = 'a-1', reportId = 'r-1') => ({
  type: 'SubmitImprovementReport' as const,
  data: { agentId: 'a-1', reportId, causes: 'c', fixes: 'f', by, at: AT },
});
const review = (approve: boolean, reportId = 'r-1', note: string | null = 'ok') => ({
  type: 'ReviewImprovementReport' as const,
  data: { reportId, approve, by: 'sup', note, at: AT },
});

describe('standing on the agent stream', () => {
  it('the third breach suspends the agent until an approved report reinstates them', () => {
    let state = suspended();
    expect(openSuspension(state)).toEqual({ breachId: 'b-3', startsAt: expect.any(String) });
    expect(refusal(() => penaltyDecider.decide(submit('a-2'), state)).kind).toBe('forbidden');
    state = apply(state, penaltyDecider.decide(submit(), state));
    expect(refusal(() => penaltyDecider.decide(submit('a-1', 'r-2'), state)).message).toMatch(/awaits review/);
    expect(refusal(() => penaltyDecider.decide(review(false, 'r-1', null), state)).message).toMatch(/needs a reason/);
    state = apply(state, penaltyDecider.decide(review(false, 'r-1', 'too vague'), state));
    expect(openSuspension(state)).not.toBeNull();
    state = apply(state, penaltyDecider.decide(submit('a-1', 'r-2'), state));
    const approved = penaltyDecider.decide(review(true, 'r-2'), state);
    expect(approved.map((e) => e.type)).toEqual(['ImprovementReportApproved', 'AgentReinstated']);
    state = apply(state, approved);
    expect(openSuspension(state)).toBeNull();
    expect(refusal(() => penaltyDecider.decide(submit('a-1', 'r-3'), state)).message).toMatch(/not suspended/);
  });

  it('training brought by the first breach is completed once', () => {
    let state = suspended();
    expect(state.trainings.get('b-1')).toEqual({ dueAt: '2026-04-09T03:00:00.000Z', completedAt: null });
    const done = penaltyDecider.decide({ type: 'CompleteTraining', data: { breachId: 'b-1', by: 'sup', at: AT } }, state);
    state = apply(state, done);
    expect(state.trainings.get('b-1')!.completedAt).toBe(AT);
    expect(
      refusal(() => penaltyDecider.decide({ type: 'CompleteTraining', data: { breachId: 'b-1', by: 'sup', at: AT } }, state)).kind,
    ).toBe('conflict');
    expect(
      refusal(() => penaltyDecider.decide({ type: 'CompleteTraining', data: { breachId: 'b-2', by: 'sup', at: AT } }, state)).kind,
    ).toBe('not_found');
  });
});
