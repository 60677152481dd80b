import { addBusinessTime, businessTimeBetween } from './business-calendar';
import { addTarget } from './sla-targets';
import { PeakWindow, SlaPolicy, parseInstant } from './sla-policy';

export type ClockState = 'ok' | 'at_risk' | 'breached' | 'met';

/**
 * Extension for an instant: the largest of the announced windows containing it ([start, end)).
 * Taking the largest rather than summing keeps overlapping announcements within the 50 % cap.
 */
export function peakExtensionPercent(at: Date, peakWindows: readonly PeakWindow[]): number {
  const t = at.getTime();
  let best = 0;
  for (const w of peakWindows) {
    const start = parseInstant(w.start);
    const end = parseInstant(w.end);
    if (start !== undefined && end !== undefined && t >= start && t < end) best = Math.max(best, w.extensionPercent);
  }
  return best;
}

export interface Pause {
  from: Date;
  to?: Date;
}

/**
 * Resolution due time: the target counts only while no third party holds the case. Walks the
 * running stretches between pauses, so a pause that starts after the due time changes nothing.
 * An open pause (no `to`) counts up to `asOf`; without `asOf` the due time is unknown → null.
 */
export function resolutionDueAt(filedAt: Date, pauses: readonly Pause[], policy: SlaPolicy, asOf?: Date): Date | null {
  const cal = policy.businessCalendar;
  const business = policy.resolution.clock === 'business';
  const plainDue = addTarget(filedAt, policy.resolution, cal);
  const measure = (a: number, b: number) => (business ? businessTimeBetween(new Date(a), new Date(b), cal) : Math.max(0, b - a));
  const advance = (from: number, ms: number) => (business ? addBusinessTime(new Date(from), ms, cal) : new Date(from + ms));

  let remaining = measure(filedAt.getTime(), plainDue.getTime());
  let cursor = filedAt.getTime();
  const sorted = [...pauses].sort((x, y) => x.from.getTime() - y.from.getTime());
  for (const p of sorted) {
    const from = p.from.getTime();
    if (from > cursor) {
      const run = measure(cursor, from);
      if (run >= remaining) break;
      remaining -= run;
    }
    const end = p.to?.getTime() ?? asOf?.getTime();
    if (end === undefined) return null;
    cursor = Math.max(cursor, end);
  }
  return advance(cursor, remaining);
}
