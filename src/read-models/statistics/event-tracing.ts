import { evolve } from '../../disputes/domain/dispute.evolve';
import { DisputeEvent } from '../../disputes/domain/dispute.events';
import { DisputeState } from '../../disputes/domain/dispute.state';
import { recordMilestones } from '../disputes/disputes.rows';
import { DisputeRowTable } from '../disputes/disputes.tables';
import { LineageResult } from './statistics.query-handlers';
import { HistoryEvent } from './report-kit';

/** What folding a dispute's events tells a lineage: which event set each milestone column and each field. */
export interface TracedDispute {
  state: DisputeState;
  filed: HistoryEvent;
  /** The event that first set each milestone column of the disputes read model (as its projection records them). */
  milestones: Map<keyof DisputeRowTable, HistoryEvent>;
  /** The event after which the dispute's assignee, department last changed (the filing when none did). */
  lastSet: { assignee: HistoryEvent; department: HistoryEvent };
}

/**
 * Folds a dispute's events (from its filing, as known then) through the write side's evolve, noting which event
 * set each read-model milestone (through the projection's own `recordMilestones`) and each group dimension.
 */
export function traceDispute(events: readonly HistoryEvent[]): TracedDispute | null {
  if (events.length === 0 || events[0].type !== 'DisputeFiled') return null;
  let state: DisputeState | null = null;
  const milestones = new Map<keyof DisputeRowTable, HistoryEvent>();
  const reached: Partial<DisputeRowTable> = {};
  const lastSet = { assignee: events[0], department: events[0] };
  for (const e of events) {
    const before: DisputeState | null = state;
    const event = { type: e.type, data: e.data } as DisputeEvent;
    state = evolve(state, event);
    const seen = { ...reached };
    recordMilestones(reached, event, state);
    for (const column of Object.keys(reached) as (keyof DisputeRowTable)[])
      if (reached[column] !== seen[column] && !milestones.has(column)) milestones.set(column, e);
    if (before !== null && before.assignee !== state.assignee) lastSet.assignee = e;
    if (before !== null && before.department !== state.department) lastSet.department = e;
  }
  return { state: state!, filed: events[0], milestones, lastSet };
}

export type LineageEvent = LineageResult['events'][number];

export const lineageEvent = (e: HistoryEvent, disputeId: string): LineageEvent => ({
  eventId: e.eventId,
  position: e.position,
  disputeId,
  type: e.type,
  recordedAt: e.recordedAt,
});

/** Events named once each, in log order. */
export function distinctInLogOrder(events: Iterable<LineageEvent>): LineageEvent[] {
  const byId = new Map<string, LineageEvent>();
  for (const e of events) byId.set(e.eventId, e);
  return [...byId.values()].sort((a, b) => a.position - b.position);
}
