import { IANAZone } from 'luxon';
import { BusinessCalendar, parseHhMm } from './sla-policy';

/** A business calendar prepared once for arithmetic (validated zone, day sets, memo tables); see business-calendar.ts. */
export interface Prepared {
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
  /** Memo: blocks of BLOCK_DAYS (business-calendar.ts) local days with their open windows and running sums of open time. */
  blocks: Map<number, Block>;
}

export interface Window {
  open: number;
  close: number;
}

/**
 * BLOCK_DAYS consecutive local days (days since 1970-01-01) starting at `first`: each day's window in epoch ms
 * (NaN when closed) and `cum[i]`, the open time of the block's days before day i (`cum[BLOCK_DAYS]` is the
 * block's total). Sums over whole days are then a subtraction, and a long walk skips whole blocks.
 */
export interface Block {
  first: number;
  opens: Float64Array;
  closes: Float64Array;
  cum: Float64Array;
}

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

export function prepare(cal: BusinessCalendar): Prepared {
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
