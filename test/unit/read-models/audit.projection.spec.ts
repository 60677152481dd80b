import { AuditProjection } from '../../../src/read-models/audit/audit.projection';
import { ProjectionSpec } from '../../support/projection-spec';

const spec = ProjectionSpec.for(() => new AuditProjection());

describe('audit read model (given events → rows)', () => {
  it('writes one row per event of every stream, in global order, with its actor, stream revision and time', async () => {
    await spec
      .given(
        {
          streamId: 'dispute-a',
          type: 'DisputeFiled',
          data: { disputeId: 'a' },
          metadata: { actorId: 'agent-1' },
          occurredAt: '2026-03-02T02:00:00.000Z',
        },
        {
          streamId: 'agent-bob',
          type: 'PenaltyApplied',
          data: { breachId: 'b-1' },
          metadata: { actorId: 'sla-penalty-processor' },
          occurredAt: '2026-03-02T03:00:00.000Z',
        },
      )
      .when({
        streamId: 'dispute-a',
        type: 'DisputeAssigned',
        data: { disputeId: 'a' },
        metadata: { actorId: 'supervisor-1' },
        occurredAt: '2026-03-02T04:00:00.000Z',
      })
      .then({
        audit_events: [
          {
            position: 1,
            stream_id: 'dispute-a',
            revision: 0,
            type: 'DisputeFiled',
            actor_id: 'agent-1',
            occurred_at: '2026-03-02T02:00:00.000Z',
          },
          {
            position: 2,
            stream_id: 'agent-bob',
            revision: 0,
            type: 'PenaltyApplied',
            actor_id: 'sla-penalty-processor',
            occurred_at: '2026-03-02T03:00:00.000Z',
          },
          {
            position: 3,
            stream_id: 'dispute-a',
            revision: 1,
            type: 'DisputeAssigned',
            actor_id: 'supervisor-1',
            occurred_at: '2026-03-02T04:00:00.000Z',
          },
        ],
      });
  });

  it('keeps an index of positions, not a copy of the event: no body and no personal data in the read store', async () => {
    await spec.given({ streamId: 'dispute-a', type: 'DisputeFiled', data: { disputeId: 'a', customerId: 'c-9' } }).then((rows) => {
      const [row] = rows.audit_events;
      expect(Object.keys(row).sort()).toEqual(['actor_id', 'event_id', 'occurred_at', 'position', 'revision', 'stream_id', 'type']);
      expect(JSON.stringify(row)).not.toContain('c-9');
    });
  });
});
