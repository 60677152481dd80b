import { Duration } from 'luxon';
import { DisputeState, disputeStatus, pendingForum } from '../../disputes/domain/dispute.events';
import { addTarget, businessTargetMs } from '../../sla/domain/business-calendar';
import { firstResponseDueAt, resolutionDueAt } from '../../sla/domain/sla-clock';
import { SlaPolicy, SlaTarget } from '../../sla/domain/sla-policy';

export type DueKind = 'first_response' | 'payment' | 'resolution';

export interface Due {
  kind: DueKind | null;
  dueAt: string | null;
  atRiskAt: string | null;
}

/** The same target cut to a fraction (the at-risk point), in the clock's own kind of time. */
function scaled(target: SlaTarget, ratio: number, policy: SlaPolicy): SlaTarget {
  const ms = target.clock === 'business' ? businessTargetMs(target.target, policy.businessCalendar) : Duration.fromISO(target.target).toMillis();
  return { target: `PT${Math.max(0, Math.round(ms * ratio)) / 1000}S`, clock: target.clock };
}

/**
 * The clock a queue orders a dispute by, as of its events: the first response while unanswered, then the
 * payment of an approved compensation, then the resolution (paused, so without a due time, while a third
 * party holds the case). Derived only from event times and the policy, so a rebuild gives the same rows.
 */
export function disputeDue(state: DisputeState, policy: SlaPolicy): Due {
  const status = disputeStatus(state);
  if (status !== 'open' && status !== 'awaiting_payment') return { kind: null, dueAt: null, atRiskAt: null };
  const cal = policy.businessCalendar;
  const ratio = policy.atRiskRatio;
  if (state.firstResponse.respondedAt === null) {
    const start = new Date(state.firstResponse.startedAt);
    const target = policy.firstResponse[state.filing.channel];
    return {
      kind: 'first_response',
      dueAt: firstResponseDueAt(state.filing.channel, start, policy).toISOString(),
      atRiskAt: addTarget(start, scaled(target, ratio, policy), cal).toISOString(),
    };
  }
  const approved = state.compensations.filter((c) => c.status === 'approved' && c.approvedAt !== null);
  if (approved.length > 0) {
    const earliest = approved.map((c) => c.approvedAt!).sort()[0];
    const start = new Date(earliest);
    return {
      kind: 'payment',
      dueAt: addTarget(start, policy.payment, cal).toISOString(),
      atRiskAt: addTarget(start, scaled(policy.payment, ratio, policy), cal).toISOString(),
    };
  }
  if (pendingForum(state)) return { kind: 'resolution', dueAt: null, atRiskAt: null };
  const pauses = state.forums.map((h) => ({ from: new Date(h.from), to: h.to ? new Date(h.to) : undefined }));
  const filedAt = new Date(state.filedAt);
  const due = resolutionDueAt(filedAt, pauses, policy);
  const risk = resolutionDueAt(filedAt, pauses, { ...policy, resolution: scaled(policy.resolution, ratio, policy) });
  return { kind: 'resolution', dueAt: due?.toISOString() ?? null, atRiskAt: risk?.toISOString() ?? null };
}

/** The queue's view of a clock at `now`. */
export function slaStateAt(due: { dueAt: string | null; atRiskAt: string | null }, now: string): 'ok' | 'at_risk' | 'breached' {
  if (due.dueAt !== null && due.dueAt < now) return 'breached';
  if (due.atRiskAt !== null && due.atRiskAt < now) return 'at_risk';
  return 'ok';
}
