import { DisputeSearchProjection } from '../../../src/read-models/dispute-search/dispute-search.projection';
import { ProjectionSpec } from '../../support/projection-spec';

const spec = ProjectionSpec.for(() => new DisputeSearchProjection());

describe('dispute search read model (given events → rows)', () => {
  it('indexes the description, notes, contacts and evidence descriptions of a dispute, one row each', async () => {
    await spec
      .given(
        { streamId: 'dispute-a', type: 'DisputeFiled', data: { disputeId: 'a', description: 'the kettle leaks' } },
        { streamId: 'dispute-a', type: 'NoteAdded', data: { disputeId: 'a', noteId: 'n-1', text: '顾客说屏幕有划痕' } },
        {
          streamId: 'dispute-a',
          type: 'CustomerContactRecorded',
          data: { disputeId: 'a', contactId: 'c-1', summary: 'called back', promises: 'refund by Friday' },
        },
        { streamId: 'dispute-a', type: 'EvidenceAttached', data: { disputeId: 'a', evidenceId: 'e-1', description: 'receipt photo' } },
      )
      .then({
        // in key order (source)
        dispute_search: [
          { source: 'contact:c-1', dispute_id: 'a', body: 'called back\nrefund by Friday' },
          { source: 'description:a', dispute_id: 'a', body: 'the kettle leaks' },
          { source: 'evidence:e-1', dispute_id: 'a', body: 'receipt photo' },
          { source: 'note:n-1', dispute_id: 'a', body: '顾客说屏幕有划痕' },
        ],
      });
  });

  it('adds nothing for events without text, for empty text, or outside dispute streams', async () => {
    await spec
      .given(
        { streamId: 'dispute-b', type: 'DisputeAcknowledged', data: { disputeId: 'b', message: 'on it' } },
        { streamId: 'dispute-b', type: 'EvidenceAttached', data: { disputeId: 'b', evidenceId: 'e-2', description: null } },
        { streamId: 'agent-bob', type: 'NoteAdded', data: { disputeId: 'b', noteId: 'n-9', text: 'not a dispute stream' } },
      )
      .then({ dispute_search: [] });
  });
});
