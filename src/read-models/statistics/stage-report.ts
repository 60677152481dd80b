import { secondsToMs } from '../../shared/durations';
import { evolve } from '../../disputes/domain/dispute.evolve';
import { DisputeEvent } from '../../disputes/domain/dispute.events';
import { DisputeStateOrNone } from '../../disputes/domain/dispute.state';
import { median } from '../reports/report-queries';
import { percentile } from '../sla-reports/sla-report-queries';
import { Groups, HistoryEvent, StatReport } from './report-kit';

/** One stay of a dispute in a stage: entered and left (null while it is still there), by the events' `at`. */
export interface StageStay {
  stage: string;
  enteredAt: string;
  leftAt: string | null;
}

/** The stays of one dispute, in order, from its events (a reopening starts a new stay in `filed`). */
export function stageStays(events: readonly HistoryEvent[]): StageStay[] {
  const stays: StageStay[] = [];
  let state: DisputeStateOrNone = null;
  for (const e of events) {
    const before = state?.stage ?? null;
    state = evolve(state, { type: e.type, data: e.data } as DisputeEvent);
    if (state.stage === before && e.type !== 'DisputeReopened') continue;
    const at = String(e.data.at);
    const open = stays[stays.length - 1];
    if (open) open.leftAt = at;
    stays.push({ stage: state.stage, enteredAt: at, leftAt: null });
  }
  return stays;
}

interface Acc {
  entered: number;
  left: number;
  seconds: number[];
}

/** Time in each stage: stays entered, left, and the median and 90th percentile of completed stays. */
export const stageReport: StatReport<Acc, object> = {
  name: 'stages',
  description:
    'time in each stage (seconds): stays entered and left, median and p90 of the completed ones; by stage, or by category and stage',
  groupBys: ['stage', 'category'],
  reads: '*',
  init: () => ({ entered: 0, left: 0, seconds: [] }),
  add(groups: Groups<Acc>, { state, events }, params) {
    for (const stay of stageStays(events)) {
      const key = params.groupBy === 'category' ? `${state.filing.category}/${stay.stage}` : stay.stage;
      const acc = groups.at(key, state.id);
      acc.entered++;
      if (stay.leftAt === null) continue;
      acc.left++;
      acc.seconds.push(Math.round((Date.parse(stay.leftAt) - Date.parse(stay.enteredAt)) / 1000));
    }
  },
  row: (acc) => {
    const sorted = [...acc.seconds].sort((a, b) => a - b);
    const [medianSeconds, p90Seconds] = [median(sorted), percentile(sorted, 0.9)];
    return {
      entered: acc.entered,
      left: acc.left,
      medianSeconds,
      p90Seconds,
      medianMs: secondsToMs(medianSeconds),
      p90Ms: secondsToMs(p90Seconds),
    };
  },
};
