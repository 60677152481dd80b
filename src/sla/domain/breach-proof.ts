import { DisputeClock } from './dispute-clocks';
import { SlaPolicy } from './sla-policy';

/** What anyone needs to re-derive a breach: the policy, the calendar and the events that drove the clock. */
export interface BreachProof {
  policyVersion: number;
  calendar: { timeZone: string; days: number[]; open: string; close: string; holidays: string[] };
  target: { target: string; clock: 'calendar' | 'business' };
  peakExtensionPercent: number;
  startedAt: string;
  startedByEventId: string | null;
  pausedByEventIds: string[];
  resumedByEventIds: string[];
  stoppedByEventId: string | null;
  compensationId: string | null;
}

interface LoggedEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
}

const PAUSING = new Set(['DisputeEscalated']);
const RESUMING = new Set(['DisputeMediated', 'DisputeArbitrated', 'DisputeLitigated']);

/** The evidence a breach carries, so an auditor can re-derive it from the stream and the policy alone. */
export function breachProof(events: readonly LoggedEvent[], clock: DisputeClock, policy: SlaPolicy): BreachProof {
  const after = (e: LoggedEvent) => String(e.data.at) >= clock.startedAt;
  const started =
    clock.kind === 'payment'
      ? events.find((e) => e.type === 'CompensationApproved' && e.data.compensationId === clock.compensationId)
      : [...events]
          .reverse()
          .find((e) => (e.type === 'DisputeFiled' || e.type === 'DisputeReopened') && String(e.data.at) <= clock.startedAt);
  const holds = clock.kind === 'resolution';
  return {
    policyVersion: policy.version,
    calendar: { ...policy.businessCalendar },
    target: { ...clock.target },
    peakExtensionPercent: clock.extensionPercent,
    startedAt: clock.startedAt,
    startedByEventId: started?.eventId ?? null,
    pausedByEventIds: holds ? events.filter((e) => PAUSING.has(e.type) && after(e)).map((e) => e.eventId) : [],
    resumedByEventIds: holds ? events.filter((e) => RESUMING.has(e.type) && after(e)).map((e) => e.eventId) : [],
    stoppedByEventId: null,
    compensationId: clock.compensationId,
  };
}
