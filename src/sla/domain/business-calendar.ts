import { DateTime, IANAZone } from 'luxon';
import { BusinessCalendar, parseHhMm } from './sla-policy';

/**
 * Business-time arithmetic. Each open day's window is built from its local date and wall-clock
 * open/close in the calendar's zone, so DST changes move the window in UTC but not locally.
 * Open time is counted as real elapsed time: if a window itself spans a DST switch
 * (e.g. 01:00–04:00 on the Berlin spring-forward Sunday) it holds one hour less.
 *
 * Bounded work: windows are memoised in blocks of 64 days with running sums of open time, so measuring or
 * adding open time costs one step per block, not per day, and no computation spans more than
 * MAX_CALENDAR_SPAN_DAYS (it throws a RangeError instead).
 */

interface Prepared {
  zone: string;
  days: Set<number>;
  holidays: Set<string>;
  open: { hour: number; minute: number };
  close: { hour: number; minute: number };
  /** Bound on consecutive closed days, so a broken calendar throws instead of walking on. */
  maxClosedRun: number;
  tz: IANAZone;
  /** Memo: the zone's offset (minutes) per UTC hour without a transition inside it. */
  offsets: Map<number, number>;
  /** Memo: blocks of BLOCK_DAYS local days with their open windows and running sums of open time. */
  blocks: Map<number, Block>;
}

interface Window {
  open: number;
  close: number;
}

/**
 * BLOCK_DAYS consecutive local days (days since 1970-01-01) starting at `first`: each day's window in epoch ms
 * (NaN when closed) and `cum[i]`, the open time of the block's days before day i (`cum[BLOCK_DAYS]` is the
 * block's total). Sums over whole days are then a subtraction, and a long walk skips whole blocks.
 */
interface Block {
  first: number;
  opens: Float64Array;
  closes: Float64Array;
  cum: Float64Array;
}

/**
 * The farthest any one computation walks from its start: about 41 years. The policy maxima (sla-policy.ts:
 * resolution at most 365 working days, +50 % in a peak window, at most 1,000 holidays, at least one open weekday)
 * keep every valid target well inside it (one open weekday whose every holiday falls on it: about 30 years); a
 * computation beyond it throws a RangeError instead of working on for minutes.
 */
export const MAX_CALENDAR_SPAN_DAYS = 15_000;

/**
 * Prepared calendars, by content: validating the zone and building the sets costs more than a whole
 * first-response computation, and every command and projection batch asks again for the same few calendars.
 */
const prepared = new Map<string, Prepared>();

/**
 * The same calendar object asks again and again (a policy's calendar, for every clock of every event): found by
 * identity first, so a long holiday list is not joined into a key on every call. Calendars are never mutated.
 */
const preparedByObject = new WeakMap<BusinessCalendar, Prepared>();

function prepare(cal: BusinessCalendar): Prepared {
  const known = preparedByObject.get(cal);
  if (known) return known;
  const key = `${cal.timeZone}|${cal.open}|${cal.close}|${cal.days.join(',')}|${cal.holidays.join(',')}`;
  let p = prepared.get(key);
  if (!p) {
    p = prepareUncached(cal);
    if (prepared.size > 100) prepared.clear();
    prepared.set(key, p);
  }
  preparedByObject.set(cal, p);
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
    tz: IANAZone.create(cal.timeZone),
    offsets: new Map(),
    blocks: new Map(),
  };
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Memo bounds per prepared calendar (cleared when full; results never depend on them). */
const MEMO_MAX = 50_000;
const BLOCK_DAYS = 64;
/** 512 blocks: 32,768 days, more than one computation may span (MAX_CALENDAR_SPAN_DAYS). */
const BLOCKS_MAX = 512;

/**
 * Zone conversion (Intl under luxon) dominates the cost of every SLA computation and depends only on zone,
 * hours and date, so offsets and windows are memoised per prepared calendar. An hour whose two ends have
 * different offsets holds a transition: it is computed exactly each time, never memoised.
 */
function offsetMinutes(ms: number, p: Prepared): number {
  const hour = Math.floor(ms / HOUR_MS);
  const known = p.offsets.get(hour);
  if (known !== undefined) return known;
  const first = p.tz.offset(hour * HOUR_MS);
  if (p.tz.offset(hour * HOUR_MS + HOUR_MS - 1) !== first) return p.tz.offset(ms);
  if (p.offsets.size >= MEMO_MAX) p.offsets.clear();
  p.offsets.set(hour, first);
  return first;
}

/**
 * Local dates are walked as plain day numbers (days since 1970-01-01); only open days need the
 * zone-aware conversion of their open/close wall times.
 */
function localDay(ms: number, p: Prepared): number {
  if (!Number.isFinite(ms)) throw new RangeError('business-calendar arithmetic needs a valid date');
  return Math.floor((ms + offsetMinutes(ms, p) * 60_000) / DAY_MS);
}

function blockOf(day: number, p: Prepared): Block {
  const index = Math.floor(day / BLOCK_DAYS);
  let b = p.blocks.get(index);
  if (b === undefined) {
    b = buildBlock(index * BLOCK_DAYS, p);
    if (p.blocks.size >= BLOCKS_MAX) p.blocks.clear();
    p.blocks.set(index, b);
  }
  return b;
}

function buildBlock(first: number, p: Prepared): Block {
  const opens = new Float64Array(BLOCK_DAYS);
  const closes = new Float64Array(BLOCK_DAYS);
  const cum = new Float64Array(BLOCK_DAYS + 1);
  // The zone's offset at S(k) = (first + k) days − 14 h, computed when an open day needs it.
  const samples: (number | undefined)[] = [];
  const sample = (k: number) => (samples[k] ??= p.tz.offset((first + k) * DAY_MS - 14 * HOUR_MS));
  for (let i = 0; i < BLOCK_DAYS; i++) {
    const w = computeWindow(first + i, p, sample, i);
    opens[i] = w ? w.open : NaN;
    closes[i] = w ? w.close : NaN;
    cum[i + 1] = cum[i] + (w ? w.close - w.open : 0);
  }
  return { first, opens, closes, cum };
}

/** The [open, close) window in epoch ms of a local day, or null when closed that day. */
function windowOn(day: number, p: Prepared): Window | null {
  const b = blockOf(day, p);
  const open = b.opens[day - b.first];
  return Number.isNaN(open) ? null : { open, close: b.closes[day - b.first] };
}

/** Open time of the whole local days [from, to). */
function openTimeOfDays(from: number, to: number, p: Prepared): number {
  let total = 0;
  for (let day = from; day < to;) {
    const b = blockOf(day, p);
    const end = Math.min(to, b.first + BLOCK_DAYS);
    total += b.cum[end - b.first] - b.cum[day - b.first];
    day = end;
  }
  return total;
}

/**
 * A local day's window. Whatever its offset (−12 h … +14 h), the day lies in UTC within [S(i), S(i+3)]: when the
 * four samples agree, the zone has one offset all day and the wall times convert by subtraction; a day near a
 * transition is converted by luxon (exactly as `DateTime.fromObject` in the zone would, the reference of the tests).
 */
function computeWindow(day: number, p: Prepared, sample: (k: number) => number, i: number): Window | null {
  const isoWeekday = ((((day + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday (4)
  if (!p.days.has(isoWeekday)) return null;
  const date = new Date(day * DAY_MS);
  if (p.holidays.has(date.toISOString().slice(0, 10))) return null;
  const offset = sample(i);
  if (sample(i + 1) === offset && sample(i + 2) === offset && sample(i + 3) === offset) {
    const wall = (t: { hour: number; minute: number }) => day * DAY_MS + (t.hour * 60 + t.minute - offset) * 60_000;
    return { open: wall(p.open), close: wall(p.close) };
  }
  const ymd = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
  const open = DateTime.fromObject({ ...ymd, ...p.open }, { zone: p.tz }).toMillis();
  const close = DateTime.fromObject({ ...ymd, ...p.close }, { zone: p.tz }).toMillis();
  return close > open ? { open, close } : null;
}

function tooFar(fromDay: number, what: string): RangeError {
  const from = new Date(fromDay * DAY_MS).toISOString().slice(0, 10);
  return new RangeError(
    `business-calendar arithmetic refused: ${what} spans more than ${MAX_CALENDAR_SPAN_DAYS} days from ${from} (the target is too long for this calendar, or the calendar hardly ever opens)`,
  );
}

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
  const firstDay = localDay(t, p);
  let remaining = durationMs;
  // The start's own day: from the start (or the opening) to the close.
  const w = windowOn(firstDay, p);
  if (w !== null && w.close > t) {
    const from = Math.max(t, w.open);
    const available = w.close - from;
    if (remaining <= available) return new Date(from + remaining);
    remaining -= available;
  }
  // Whole days after it, a block at a time: skip blocks whose open time does not cover what remains, then
  // find the day within the block where the running sum reaches it (that day is open: the sum grows there).
  let day = firstDay + 1;
  let lastOpen = firstDay;
  for (;;) {
    if (day - firstDay > MAX_CALENDAR_SPAN_DAYS) throw tooFar(firstDay, 'adding this duration');
    if (day - lastOpen > p.maxClosedRun) throw new RangeError('business calendar never opens');
    const b = blockOf(day, p);
    const i0 = day - b.first;
    const inBlock = b.cum[BLOCK_DAYS] - b.cum[i0];
    if (inBlock < remaining) {
      remaining -= inBlock;
      if (inBlock > 0) lastOpen = b.first + BLOCK_DAYS - 1;
      day = b.first + BLOCK_DAYS;
      continue;
    }
    let i = i0;
    while (b.cum[i + 1] - b.cum[i0] < remaining) i++;
    if (b.first + i - firstDay > MAX_CALENDAR_SPAN_DAYS) throw tooFar(firstDay, 'adding this duration');
    return new Date(b.opens[i] + (remaining - (b.cum[i] - b.cum[i0])));
  }
}

/** Milliseconds of open time in [a, b); 0 when b <= a. */
export function businessTimeBetween(a: Date, b: Date, cal: BusinessCalendar): number {
  const from = a.getTime();
  const to = b.getTime();
  if (to <= from) return 0;
  const p = prepare(cal);
  const first = localDay(from, p);
  const last = localDay(to, p);
  if (last - first > MAX_CALENDAR_SPAN_DAYS) throw tooFar(first, 'measuring open time');
  const overlap = (w: Window | null) => (w ? Math.max(0, Math.min(to, w.close) - Math.max(from, w.open)) : 0);
  if (last === first) return overlap(windowOn(first, p));
  // The days strictly between lie wholly inside [a, b): their open time is a difference of running sums.
  return overlap(windowOn(first, p)) + openTimeOfDays(first + 1, last, p) + overlap(windowOn(last, p));
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
