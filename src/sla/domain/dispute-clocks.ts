import { BreachKind } from './breach-kinds';
import { Duration } from 'luxon';
import { addTarget, businessTargetMs } from './sla-targets';
import { resolutionDueAt } from './sla-clock';
import { SlaChannel, SlaPolicy, SlaTarget } from './sla-policy';

/**
 * What the clocks read of a dispute. Declared here, not imported: `sla` is upstream of `disputes` and knows
 * nothing of it; the dispute's state (DisputeState) satisfies this shape structurally.
 */
export interface ClockedDispute {
  base: string;
  filedAt: string;
  reopenings: number;
  filing: { channel: SlaChannel };
  firstResponse: { startedAt: string; respondedAt: string | null };
  peakExtensionPercent?: number | null;
  forums: readonly { from: string; to: string | null }[];
  compensations: readonly { compensationId: string; status: string; approvedAt: string | null }[];
  breaches: readonly { clockKey: string }[];
}

export interface DisputeClock {
  /** One breach at most per key: `first_response:<cycle>`, `resolution:<cycle>`, `payment:<compensationId>`. */
  key: string;
  kind: BreachKind;
  startedAt: string;
  target: SlaTarget;
  extensionPercent: number;
  /** Null while paused (a third party holds the case). */
  dueAt: string | null;
  /** Where the clock turns at risk: the policy's share of its (extended) target; null while paused. */
  atRiskAt: string | null;
  /** False once the clock stopped (answered, resolved, paid). */
  running: boolean;
  compensationId: string | null;
}

/**
 * The dispute's SLA clocks under its own policy version (DOMAIN.md "SLA"): the first response of the current
 * cycle (a reopening starts a new one), the resolution (paused while mediation, arbitration or a court holds
 * the case), and one payment clock per approved compensation. Pure: derived from state and policy only.
 */
export function disputeClocks(state: ClockedDispute, policy: SlaPolicy): DisputeClock[] {
  return clocksOf(state, policy, false);
}

/**
 * `disputeClocks(state, policy).filter((c) => c.running)`, without the calendar arithmetic of the stopped
 * clocks (for read models that only look at running clocks, e.g. a projection rebuild over mostly closed cases).
 */
export function runningDisputeClocks(state: ClockedDispute, policy: SlaPolicy): DisputeClock[] {
  return clocksOf(state, policy, true);
}

function clocksOf(state: ClockedDispute, policy: SlaPolicy, runningOnly: boolean): DisputeClock[] {
  const cal = policy.businessCalendar;
  const cycle = state.reopenings;
  const open = state.base === 'open';
  const clocks: DisputeClock[] = [];

  const firstStart = state.firstResponse.startedAt;
  const firstTarget = policy.firstResponse[state.filing.channel];
  const extension = cycle === 0 ? (state.peakExtensionPercent ?? 0) : 0;
  const atRisk = (start: string, target: SlaTarget, ext = 0) => addTarget(new Date(start), share(target, ext, policy), cal).toISOString();
  const firstRunning = open && state.firstResponse.respondedAt === null;
  if (firstRunning || !runningOnly) {
    clocks.push({
      key: `first_response:${cycle}`,
      kind: 'first_response',
      startedAt: firstStart,
      target: firstTarget,
      extensionPercent: extension,
      dueAt: addTarget(new Date(firstStart), firstTarget, cal, extension).toISOString(),
      atRiskAt: atRisk(firstStart, firstTarget, extension),
      running: firstRunning,
      compensationId: null,
    });
  }

  const resolutionStart = cycle === 0 ? state.filedAt : firstStart;
  if (open || !runningOnly) {
    const pauses = state.forums
      .filter((h) => h.to === null || Date.parse(h.to) > Date.parse(resolutionStart))
      .map((h) => ({ from: new Date(h.from), to: h.to ? new Date(h.to) : undefined }));
    const resolutionDue = resolutionDueAt(new Date(resolutionStart), pauses, policy);
    const resolutionRisk = resolutionDueAt(new Date(resolutionStart), pauses, {
      ...policy,
      resolution: share(policy.resolution, 0, policy),
    });
    clocks.push({
      key: `resolution:${cycle}`,
      kind: 'resolution',
      startedAt: resolutionStart,
      target: policy.resolution,
      extensionPercent: 0,
      dueAt: resolutionDue?.toISOString() ?? null,
      atRiskAt: resolutionRisk?.toISOString() ?? null,
      running: open,
      compensationId: null,
    });
  }

  for (const c of state.compensations) {
    if (c.approvedAt === null || c.status === 'declined') continue;
    const running = c.status === 'approved';
    if (runningOnly && !running) continue;
    clocks.push({
      key: `payment:${c.compensationId}`,
      kind: 'payment',
      startedAt: c.approvedAt,
      target: policy.payment,
      extensionPercent: 0,
      dueAt: addTarget(new Date(c.approvedAt), policy.payment, cal).toISOString(),
      atRiskAt: atRisk(c.approvedAt, policy.payment),
      running,
      compensationId: c.compensationId,
    });
  }
  return clocks;
}

/** The at-risk share of a target (extended by a peak window), in the clock's own kind of time. */
function share(target: SlaTarget, extensionPercent: number, policy: SlaPolicy): SlaTarget {
  const ms =
    target.clock === 'business' ? businessTargetMs(target.target, policy.businessCalendar) : Duration.fromISO(target.target).toMillis();
  return { target: `PT${Math.round(ms * (1 + extensionPercent / 100) * policy.atRiskRatio) / 1000}S`, clock: target.clock };
}

/** Clocks past their due time, still running, with no breach recorded yet: what the scheduler must report. */
export function overdueClocks(state: ClockedDispute, policy: SlaPolicy, now: string): DisputeClock[] {
  const breached = new Set(state.breaches.map((b) => b.clockKey));
  return disputeClocks(state, policy).filter((c) => c.running && c.dueAt !== null && c.dueAt < now && !breached.has(c.key));
}
