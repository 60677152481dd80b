import { addBusinessTime, businessTimeBetween } from './business-calendar';
import { addTarget } from './sla-targets';
import { BusinessCalendar, PeakWindow, SlaChannel, SlaPolicy, parseInstant } from './sla-policy';

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

export function firstResponseDueAt(channel: SlaChannel, filedAt: Date, policy: SlaPolicy, peakWindows: readonly PeakWindow[] = []): Date {
  const target = policy.firstResponse[channel];
  if (!target) throw new RangeError(`no first-response target for channel "${channel}"`);
  return addTarget(filedAt, target, policy.businessCalendar, peakExtensionPercent(filedAt, peakWindows));
}

export interface ClockStateInput {
  startedAt: Date;
  dueAt: Date;
  stoppedAt?: Date;
  now: Date;
  atRiskRatio: number;
  /** Time the clock did not run (already folded into `dueAt`); measured like the clock itself. */
  pausedMs?: number;
  /**
   * Pass for business clocks: progress is then measured in open time, so a Friday-evening
   * email is not "at risk" over the weekend just because wall time passes.
   */
  businessCalendar?: BusinessCalendar;
}

export function clockState(input: ClockStateInput): ClockState {
  const { startedAt, dueAt, stoppedAt, now, atRiskRatio, pausedMs = 0, businessCalendar } = input;
  if (stoppedAt) return stoppedAt.getTime() <= dueAt.getTime() ? 'met' : 'breached';
  if (now.getTime() > dueAt.getTime()) return 'breached';
  const span = (a: Date, b: Date) => (businessCalendar ? businessTimeBetween(a, b, businessCalendar) : b.getTime() - a.getTime());
  const target = span(startedAt, dueAt) - pausedMs;
  const elapsed = span(startedAt, now) - pausedMs;
  if (target <= 0) return 'at_risk';
  return elapsed / target > atRiskRatio ? 'at_risk' : 'ok';
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

/**
 * Time the resolution clock stood still in [filedAt, until), measured like the clock (open time for
 * business clocks); overlapping pauses count once. Feed it to `clockState` as `pausedMs` with
 * `until = now`; otherwise held time counts as progress and a case just back from mediation
 * looks at risk.
 */
export function resolutionPausedMs(filedAt: Date, pauses: readonly Pause[], policy: SlaPolicy, until: Date): number {
  const cal = policy.businessCalendar;
  const business = policy.resolution.clock === 'business';
  const lo = filedAt.getTime();
  const hi = until.getTime();
  const spans = pauses
    .map((p) => [Math.max(p.from.getTime(), lo), Math.min(p.to?.getTime() ?? hi, hi)])
    .filter(([a, b]) => a < b)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let cursor = lo;
  for (const [a, b] of spans) {
    const from = Math.max(a, cursor);
    if (b <= from) continue;
    total += business ? businessTimeBetween(new Date(from), new Date(b), cal) : b - from;
    cursor = b;
  }
  return total;
}
