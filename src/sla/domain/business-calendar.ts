import { DateTime, Duration, IANAZone } from 'luxon';
import { BusinessCalendar, SlaTarget, parseHhMm, targetError } from './sla-policy';

/**
 * Business-time arithmetic. Each open day's window is built from its local date and wall-clock
 * open/close in the calendar's zone, so DST changes move the window in UTC but not locally.
 * Open time is counted as real elapsed time: if a window itself spans a DST switch
 * (e.g. 01:00–04:00 on the Berlin spring-forward Sunday) it holds one hour less.
 */

interface Prepared {
  zone: string;
  days: Set<number>;
  holidays: Set<string>;
  open: { hour: number; minute: number };
  close: { hour: number; minute: number };
  /** Bound on consecutive closed days, so a broken calendar throws instead of looping forever. */
  maxClosedRun: number;
}

/**
 * Prepared calendars, by content: validating the zone and building the sets costs more than a whole
 * first-response computation, and every command and projection batch asks again for the same few calendars.
 */
const prepared = new Map<string, Prepared>();

function prepare(cal: BusinessCalendar): Prepared {
  const key = `${cal.timeZone}|${cal.open}|${cal.close}|${cal.days.join(',')}|${cal.holidays.join(',')}`;
  let p = prepared.get(key);
  if (!p) {
    p = prepareUncached(cal);
    if (prepared.size > 100) prepared.clear();
    prepared.set(key, p);
  }
  return p;
}

function prepareUncached(cal: BusinessCalendar): Prepared {
  const open = parseHhMm(cal.open);
  const close = parseHhMm(cal.close);
  if (!IANAZone.isValidZone(cal.timeZone)) throw new RangeError(`unknown time zone "${cal.timeZone}"`);
  if (open === undefined || close === undefined || open >= close) {
    throw new RangeError(`business calendar needs open < close, got ${cal.open}–${cal.close}`);
  }
  const days = new Set(cal.days.filter((d) => Number.isInteger(d) && d >= 1 && d <= 7));
  if (days.size === 0) throw new RangeError('business calendar has no open weekday');
  return {
    zone: cal.timeZone,
    days,
    holidays: new Set(cal.holidays),
    open: { hour: Math.floor(open / 60), minute: open % 60 },
    close: { hour: Math.floor(close / 60), minute: close % 60 },
    maxClosedRun: 7 * (cal.holidays.length + 2),
  };
}

const DAY_MS = 86_400_000;

/**
 * Local dates are walked as plain day numbers (days since 1970-01-01); only open days need the
 * zone-aware conversion of their open/close wall times, which keeps long walks cheap.
 */
function localDay(ms: number, p: Prepared): number {
  const dt = DateTime.fromMillis(ms, { zone: p.zone });
  return Date.UTC(dt.year, dt.month - 1, dt.day) / DAY_MS;
}

/** The [open, close) window in epoch ms of a local day, or null when closed that day. */
function windowOn(day: number, p: Prepared): { open: number; close: number } | null {
  const isoWeekday = ((((day + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday (4)
  if (!p.days.has(isoWeekday)) return null;
  const date = new Date(day * DAY_MS);
  if (p.holidays.has(date.toISOString().slice(0, 10))) return null;
  const key = `${p.zone}|${p.open.hour}:${p.open.minute}|${p.close.hour}:${p.close.minute}|${day}`;
  let w = windowCache.get(key);
  if (w === undefined) {
    const ymd = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
    const open = DateTime.fromObject({ ...ymd, ...p.open }, { zone: p.zone }).toMillis();
    const close = DateTime.fromObject({ ...ymd, ...p.close }, { zone: p.zone }).toMillis();
    w = close > open ? { open, close } : null;
    if (windowCache.size >= WINDOW_CACHE_MAX) windowCache.clear();
    windowCache.set(key, w);
  }
  return w;
}

/**
 * Zone conversion dominates the cost and depends only on zone, hours and date, so windows are
 * memoised (bounded; cleared when full). Results do not depend on the cache.
 */
const WINDOW_CACHE_MAX = 50_000;
const windowCache = new Map<string, { open: number; close: number } | null>();

export function isOpen(at: Date, cal: BusinessCalendar): boolean {
  const p = prepare(cal);
  const t = at.getTime();
  const w = windowOn(localDay(t, p), p);
  return w !== null && t >= w.open && t < w.close;
}

/** Whether the local date of `at` is an open weekday and not a holiday. */
export function isOpenDay(at: Date, cal: BusinessCalendar): boolean {
  const p = prepare(cal);
  return windowOn(localDay(at.getTime(), p), p) !== null;
}

/**
 * `start` plus `durationMs` of open time. A positive duration ends inside a window or exactly at
 * its close (never rolled over to the next opening), so chained additions stay additive.
 * Zero returns `start` unchanged, even when closed.
 */
export function addBusinessTime(start: Date, durationMs: number, cal: BusinessCalendar): Date {
  if (!Number.isSafeInteger(durationMs) || durationMs < 0) {
    throw new RangeError(`durationMs must be a non-negative integer, got ${durationMs}`);
  }
  const t = start.getTime();
  if (durationMs === 0) return new Date(t);
  const p = prepare(cal);
  let remaining = durationMs;
  let closedRun = 0;
  for (let day = localDay(t, p); ; day++) {
    const w = windowOn(day, p);
    if (w === null) {
      if (++closedRun > p.maxClosedRun) throw new RangeError('business calendar never opens');
      continue;
    }
    closedRun = 0;
    if (w.close <= t) continue;
    const from = Math.max(t, w.open);
    const available = w.close - from;
    if (remaining <= available) return new Date(from + remaining);
    remaining -= available;
  }
}

/** Milliseconds of open time in [a, b); 0 when b <= a. */
export function businessTimeBetween(a: Date, b: Date, cal: BusinessCalendar): number {
  const from = a.getTime();
  const to = b.getTime();
  if (to <= from) return 0;
  const p = prepare(cal);
  let total = 0;
  const last = localDay(to, p);
  for (let day = localDay(from, p); day <= last; day++) {
    const w = windowOn(day, p);
    if (w) total += Math.max(0, Math.min(to, w.close) - Math.max(from, w.open));
  }
  return total;
}

/** Nominal length of one open day: a "working day" of an SLA target (9 h for 09:00–18:00). */
export function workingDayMs(cal: BusinessCalendar): number {
  const open = parseHhMm(cal.open);
  const close = parseHhMm(cal.close);
  if (open === undefined || close === undefined || open >= close) {
    throw new RangeError(`business calendar needs open < close, got ${cal.open}–${cal.close}`);
  }
  return (close - open) * 60_000;
}

export function addWorkingDays(start: Date, n: number, cal: BusinessCalendar): Date {
  return addBusinessTime(start, Math.round(n * workingDayMs(cal)), cal);
}

/** Open time a business-clock target stands for: days are working days, the rest open time. */
export function businessTargetMs(target: string, cal: BusinessCalendar): number {
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
