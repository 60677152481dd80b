import { DateTime, Duration } from 'luxon';
import { addBusinessTime, workingDayMs } from './business-calendar';
import { BusinessCalendar, SlaTarget, targetError } from './sla-policy';

/** SLA targets (ISO durations on a business or a calendar clock) turned into due times on a business calendar. */

/** Open time a business-clock target stands for: days are working days, the rest open time. */
export function businessTargetMs(target: string, cal: BusinessCalendar): number {
  const key = `${target}|${cal.open}|${cal.close}`;
  let ms = targetMs.get(key);
  if (ms === undefined) {
    ms = businessTargetMsUncached(target, cal);
    if (targetMs.size >= 1000) targetMs.clear();
    targetMs.set(key, ms);
  }
  return ms;
}
/** Parsing ISO durations is costly and the policies hold a handful of targets. */
const targetMs = new Map<string, number>();

function businessTargetMsUncached(target: string, cal: BusinessCalendar): number {
  const err = targetError(target, 'business');
  if (err) throw new RangeError(err);
  const d = Duration.fromISO(target).toObject();
  const ms =
    (d.days ?? 0) * workingDayMs(cal) +
    (d.hours ?? 0) * 3_600_000 +
    (d.minutes ?? 0) * 60_000 +
    (d.seconds ?? 0) * 1_000 +
    (d.milliseconds ?? 0);
  return Math.round(ms);
}

/**
 * Due time of `target` counted from `start`, optionally extended by a percentage (peak windows).
 * Calendar clocks add the duration in the calendar's zone (hours are elapsed time, P1D is one
 * local calendar day); the extension scales the elapsed span. Business clocks scale the open time.
 */
export function addTarget(start: Date, target: SlaTarget, cal: BusinessCalendar, extensionPercent = 0): Date {
  const factor = 1 + extensionPercent / 100;
  if (target.clock === 'business') {
    return addBusinessTime(start, Math.round(businessTargetMs(target.target, cal) * factor), cal);
  }
  const err = targetError(target.target, 'calendar');
  if (err) throw new RangeError(err);
  const due = DateTime.fromJSDate(start, { zone: cal.timeZone }).plus(Duration.fromISO(target.target));
  const span = due.toMillis() - start.getTime();
  return new Date(start.getTime() + Math.round(span * factor));
}
