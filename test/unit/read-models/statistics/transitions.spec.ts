import { transitionsOf } from '../../../../src/read-models/exports/log-datasets';
import { at, threeDisputes } from './history-builder';

/** The transitions export of one dispute, computed by hand from its story (history-builder.ts, dispute a). */
describe('stage transitions (export)', () => {
  it('one row per change of stage or status, with when it was entered, left and how long it lasted', () => {
    const rows = transitionsOf(threeDisputes()[0].events).map((r) => [
      r.seq,
      r.event_type,
      `${r.from_stage ?? '-'}/${r.from_status ?? '-'}`,
      `${r.to_stage}/${r.to_status}`,
      r.entered_at,
      r.left_at,
      r.duration_seconds,
    ]);
    expect(rows).toEqual([
      [0, 'DisputeFiled', '-/-', 'filed/open', at(0), at(5), 300],
      [1, 'DisputeAcknowledged', 'filed/open', 'acknowledged/open', at(5), at(30), 1500],
      [2, 'CompensationProposed', 'acknowledged/open', 'acknowledged/awaiting_payment', at(30), at(40), 600],
      [3, 'CompensationPaid', 'acknowledged/awaiting_payment', 'acknowledged/open', at(40), at(40), 0],
      [4, 'DisputeCompensated', 'acknowledged/open', 'compensated/compensated', at(40), at(50), 600],
      [5, 'DisputeClosed', 'compensated/compensated', 'closed/closed', at(50), null, null],
    ]);
    expect(transitionsOf(threeDisputes()[0].events)[2]).toMatchObject({ transition_id: 'a:2', dispute_id: 'a', department: 'returns' });
  });
});
