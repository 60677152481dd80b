import { ClockedDispute, disputeClocks } from './domain/dispute-clocks';
import { ClockState } from './domain/sla-clock';
import { SlaPolicy } from './domain/sla-policy';

export interface SlaView {
  policyVersion: number;
  peakExtensionPercent: number;
  firstResponseDueAt: string;
  firstRespondedAt: string | null;
  resolutionDueAt: string | null;
  state: ClockState;
  clocks: { key: string; kind: string; startedAt: string; dueAt: string | null; running: boolean; state: ClockState }[];
  breaches: {
    breachId: string;
    kind: string;
    dueAt: string;
    detectedAt: string;
    status: string;
    investigationDueAt: string | null;
    investigationOverdueAt: string | null;
  }[];
  /** Issue 14: what confirmed breaches owe the customer (entitlements: they never block a stage). */
  remedies: {
    remedyId: string;
    breachId: string;
    type: string;
    status: string;
    reason: string;
    coupon: { percent: number; appliesTo: { amount: number; currency: string } | null } | null;
    upgradeUntil: string | null;
    apology: { channel: string; draft: string; sentText: string | null; sentAt: string | null } | null;
    revokedReason: string | null;
  }[];
}

/** What the view reads of a dispute, beyond its clocks (DisputeState satisfies it structurally). */
export interface SlaViewedDispute extends ClockedDispute {
  breaches: readonly {
    breachId: string;
    kind: string;
    clockKey: string;
    dueAt: string;
    detectedAt: string;
    status: string;
    investigationDueAt?: string | null;
    investigationOverdueAt?: string | null;
  }[];
  remedies?: readonly (Omit<SlaView['remedies'][number], 'revokedReason'> & { revoked: { reason: string } | null })[];
}

const SEVERITY: Record<ClockState, number> = { met: 0, ok: 1, at_risk: 2, breached: 3 };

/**
 * The dispute's clocks as of `now` under its own policy version: each clock is breached when recorded so
 * (or past due while running), at risk past the policy's ratio of its target, met when it stopped in time.
 */
export function slaView(state: SlaViewedDispute, now: Date, policy: SlaPolicy): SlaView {
  const at = now.toISOString();
  const breachedKeys = new Set(state.breaches.filter((b) => b.status !== 'exempted').map((b) => b.clockKey));
  const clocks = disputeClocks(state, policy).map((c) => {
    let clock: ClockState;
    if (breachedKeys.has(c.key)) clock = 'breached';
    else if (!c.running) clock = 'met';
    else if (c.dueAt !== null && c.dueAt < at) clock = 'breached';
    else if (c.atRiskAt !== null && c.atRiskAt < at) clock = 'at_risk';
    else clock = 'ok';
    return { key: c.key, kind: c.kind, startedAt: c.startedAt, dueAt: c.dueAt, running: c.running, state: clock };
  });
  const first = clocks.find((c) => c.kind === 'first_response')!;
  const resolution = clocks.find((c) => c.kind === 'resolution')!;
  const relevant = clocks.filter((c) => c.running || c.state === 'breached');
  const state_ = relevant.reduce<ClockState>(
    (worst, c) => (SEVERITY[c.state] > SEVERITY[worst] ? c.state : worst),
    relevant.length ? 'ok' : 'met',
  );
  return {
    policyVersion: policy.version,
    peakExtensionPercent: state.peakExtensionPercent ?? 0,
    firstResponseDueAt: first.dueAt!,
    firstRespondedAt: state.firstResponse.respondedAt,
    resolutionDueAt: resolution.dueAt,
    state: state_,
    clocks,
    breaches: state.breaches.map((b) => ({
      breachId: b.breachId,
      kind: b.kind,
      dueAt: b.dueAt,
      detectedAt: b.detectedAt,
      status: b.status,
      investigationDueAt: b.investigationDueAt ?? null,
      investigationOverdueAt: b.investigationOverdueAt ?? null,
    })),
    remedies: (state.remedies ?? []).map((r) => ({
      remedyId: r.remedyId,
      breachId: r.breachId,
      type: r.type,
      status: r.status,
      reason: r.reason,
      coupon: r.coupon,
      upgradeUntil: r.upgradeUntil,
      apology: r.apology,
      revokedReason: r.revoked?.reason ?? null,
    })),
  };
}
