import { DisputeState, disputeStatus } from '../disputes/domain/dispute.events';
import { clockState, ClockState, firstResponseDueAt, resolutionDueAt, resolutionPausedMs } from './domain/sla-clock';
import { DEFAULT_SLA_POLICY, SlaPolicy } from './domain/sla-policy';

export interface SlaView {
  policyVersion: number;
  firstResponseDueAt: string;
  firstRespondedAt: string | null;
  resolutionDueAt: string | null;
  state: ClockState;
  breaches: { breachId: string; kind: string; dueAt: string; detectedAt: string; status: string }[];
}

/**
 * The dispute's clocks as of `now`: first response (restarted by a reopening) and resolution, which
 * pauses while a third party holds the case. Breach records come from the SLA engine's events.
 */
export function slaView(state: DisputeState, now: Date, policy: SlaPolicy = DEFAULT_SLA_POLICY): SlaView {
  const calendar = policy.businessCalendar;
  const startedAt = new Date(state.firstResponse.startedAt);
  const firstDue = firstResponseDueAt(state.filing.channel, startedAt, policy);
  const pauses = state.forums.map((hold) => ({ from: new Date(hold.from), to: hold.to ? new Date(hold.to) : undefined }));
  const resolutionDue = resolutionDueAt(new Date(state.filedAt), pauses, policy, now);
  const respondedAt = state.firstResponse.respondedAt;
  const firstClock = clockState({
    startedAt,
    dueAt: firstDue,
    stoppedAt: respondedAt ? new Date(respondedAt) : undefined,
    now,
    atRiskRatio: policy.atRiskRatio,
    businessCalendar: policy.firstResponse[state.filing.channel].clock === 'business' ? calendar : undefined,
  });
  const resolvedAt = resolutionStop(state);
  const resolutionClock = resolutionDue
    ? clockState({
        startedAt: new Date(state.filedAt),
        dueAt: resolutionDue,
        stoppedAt: resolvedAt ? new Date(resolvedAt) : undefined,
        now,
        atRiskRatio: policy.atRiskRatio,
        // Time a third party held the case is not progress towards the resolution target.
        pausedMs: resolutionPausedMs(new Date(state.filedAt), pauses, policy, now),
        businessCalendar: policy.resolution.clock === 'business' ? calendar : undefined,
      })
    : 'ok';
  return {
    policyVersion: policy.version,
    firstResponseDueAt: firstDue.toISOString(),
    firstRespondedAt: respondedAt,
    resolutionDueAt: resolutionDue?.toISOString() ?? null,
    state: worst(firstClock, resolutionClock),
    breaches: [],
  };
}

function resolutionStop(state: DisputeState): string | null {
  const status = disputeStatus(state);
  if (status === 'compensated' || status === 'closed' || status === 'rejected' || status === 'withdrawn') return state.updatedAt;
  return null;
}

const SEVERITY: Record<ClockState, number> = { met: 0, ok: 1, at_risk: 2, breached: 3 };
const worst = (a: ClockState, b: ClockState): ClockState => (SEVERITY[a] >= SEVERITY[b] ? a : b);
