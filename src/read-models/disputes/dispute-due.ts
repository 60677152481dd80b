import { DisputeState, disputeStatus } from '../../disputes/domain/dispute.state';
import { DisputeClock, runningDisputeClocks } from '../../sla/domain/dispute-clocks';
import { SlaPolicy } from '../../sla/domain/sla-policy';

export type DueKind = 'first_response' | 'payment' | 'resolution';

export interface Due {
  kind: DueKind | null;
  dueAt: string | null;
  atRiskAt: string | null;
}

/**
 * The clock a queue orders a dispute by, among the dispute's running SLA clocks (the same ones the breach
 * scheduler watches): the first response while unanswered, then the earliest payment of an approved
 * compensation, then the resolution (without a due time while a third party holds the case).
 */
export function disputeDue(state: DisputeState, policy: SlaPolicy): Due {
  return inQueue(state) ? dueAmong(runningDisputeClocks(state, policy)) : NOT_DUE;
}

/** `disputeDue`, given the dispute's running clocks (`runningDisputeClocks`) already computed. */
export function disputeDueOf(state: DisputeState, running: readonly DisputeClock[]): Due {
  return inQueue(state) ? dueAmong(running) : NOT_DUE;
}

const NOT_DUE: Due = Object.freeze({ kind: null, dueAt: null, atRiskAt: null });
const inQueue = (state: DisputeState) => ['open', 'awaiting_payment'].includes(disputeStatus(state));

function dueAmong(running: readonly DisputeClock[]): Due {
  const payments = running.filter((c) => c.kind === 'payment').sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const clock = running.find((c) => c.kind === 'first_response') ?? payments[0] ?? running.find((c) => c.kind === 'resolution');
  if (!clock) return NOT_DUE;
  return { kind: clock.kind, dueAt: clock.dueAt, atRiskAt: clock.atRiskAt };
}

/** The queue's view of a clock at `now`. */
export function slaStateAt(due: { dueAt: string | null; atRiskAt: string | null }, now: string): 'ok' | 'at_risk' | 'breached' {
  if (due.dueAt !== null && due.dueAt < now) return 'breached';
  if (due.atRiskAt !== null && due.atRiskAt < now) return 'at_risk';
  return 'ok';
}
