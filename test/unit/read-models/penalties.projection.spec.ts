import { PenaltiesProjection } from '../../../src/read-models/penalties/penalties.projection';
import { GivenEvent, ProjectionSpec } from '../../support/projection-spec';

const spec = ProjectionSpec.for(() => new PenaltiesProjection());

const applied = (subjectType: 'agent' | 'department', subjectId: string, breachId: string, at: string, points = 2): GivenEvent => ({
  streamId: `${subjectType}-${subjectId}`,
  type: 'PenaltyApplied',
  data: {
    subjectType,
    subjectId,
    breachId,
    disputeId: 'd-1',
    channel: 'email',
    month: '2026-03',
    points,
    confirmedInMonth: 1,
    actions: ['warning'],
    trainingDueAt: null,
    at,
  },
});
const reversed = (subjectType: 'agent' | 'department', subjectId: string, breachId: string, at: string): GivenEvent => ({
  streamId: `${subjectType}-${subjectId}`,
  type: 'PenaltyReversed',
  data: { subjectType, subjectId, breachId, pointsRestored: 2, actionsWithdrawn: ['warning'], reason: 'exempted', at },
});

describe('penalties read model (given events → rows)', () => {
  it('writes one row per breach and subject from agent and department streams', async () => {
    await spec
      .given(
        applied('agent', 'bob', 'br-1', '2026-03-05T00:00:00.000Z'),
        applied('department', 'returns', 'br-1', '2026-03-05T00:00:00.000Z', 1),
      )
      .then({
        sla_penalties: [
          {
            penalty_id: 'br-1:agent',
            subject_type: 'agent',
            subject_id: 'bob',
            month: '2026-03',
            points: 2,
            actions: '["warning"]',
            applied_at: '2026-03-05T00:00:00.000Z',
            reversed_at: null,
          },
          { penalty_id: 'br-1:department', subject_type: 'department', subject_id: 'returns', points: 1, reversed_at: null },
        ],
      });
  });

  it('marks a reversal on the subject it names only', async () => {
    await spec
      .given(
        applied('agent', 'bob', 'br-1', '2026-03-05T00:00:00.000Z'),
        applied('department', 'returns', 'br-1', '2026-03-05T00:00:00.000Z'),
      )
      .when(reversed('agent', 'bob', 'br-1', '2026-03-06T00:00:00.000Z'))
      .then({
        sla_penalties: [
          { penalty_id: 'br-1:agent', reversed_at: '2026-03-06T00:00:00.000Z' },
          { penalty_id: 'br-1:department', reversed_at: null },
        ],
      });
  });

  it('a penalty applied again after its reversal is in force again', async () => {
    await spec
      .given(applied('agent', 'bob', 'br-1', '2026-03-05T00:00:00.000Z'), reversed('agent', 'bob', 'br-1', '2026-03-06T00:00:00.000Z'))
      .when(applied('agent', 'bob', 'br-1', '2026-03-07T00:00:00.000Z', 3))
      .then({ sla_penalties: [{ penalty_id: 'br-1:agent', points: 3, applied_at: '2026-03-07T00:00:00.000Z', reversed_at: null }] });
  });

  it('ignores other streams, and a reversal of a penalty never applied', async () => {
    await spec
      .given(
        { streamId: 'dispute-d-1', type: 'PenaltyApplied', data: applied('agent', 'bob', 'br-9', '2026-03-05T00:00:00.000Z').data },
        reversed('agent', 'bob', 'br-2', '2026-03-06T00:00:00.000Z'),
      )
      .then({ sla_penalties: [] });
  });
});
