import { DateTime, Duration, IANAZone } from 'luxon';

/**
 * SLA policy: the configurable targets of DOMAIN.md "SLA: response-time commitments".
 * Every number here is configuration; a change makes a new `version` and a dispute keeps
 * the version in force when it was filed.
 */
export const SLA_CHANNELS = ['phone', 'chat', 'email', 'web'] as const;
export type SlaChannel = (typeof SLA_CHANNELS)[number];

export type SlaClockKind = 'calendar' | 'business';

/** `target` is an ISO-8601 duration (PT5M, PT8H, P10D); on a business clock P1D means one working day. */
export interface SlaTarget {
  target: string;
  clock: SlaClockKind;
}

export interface BusinessCalendar {
  timeZone: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: number[];
  /** Local wall-clock times 'HH:mm'; close is exclusive. */
  open: string;
  close: string;
  /** Local dates 'YYYY-MM-DD' in `timeZone`. */
  holidays: string[];
}

export interface SlaPolicy {
  version: number;
  firstResponse: Record<SlaChannel, SlaTarget>;
  resolution: SlaTarget;
  payment: SlaTarget;
  /** A running clock past this fraction of its target is at risk. */
  atRiskRatio: number;
  businessCalendar: BusinessCalendar;
  /** Issue 14: the public supervision page names agents instead of their stable aliases (default: aliases). */
  publicNames?: boolean;
}

/** An announced promotion / launch window; instants are ISO-8601 strings with offset. */
export interface PeakWindow {
  start: string;
  end: string;
  extensionPercent: number;
}

export const MAX_PEAK_EXTENSION_PERCENT = 50;

/**
 * Longest targets a policy may set, in days (README "SLA policy limits"). On a business clock they are working
 * days, and hours, minutes and seconds count as open time (PT90H on a 9-hour day is 10 working days).
 * They keep every due-time computation short: without them one what-if with `P100000D` froze the service.
 */
export const SLA_TARGET_MAX_DAYS = { firstResponse: 30, resolution: 365, payment: 90 } as const;

/** Holidays a business calendar may list (decades of public holidays). */
export const MAX_HOLIDAYS = 1000;

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  version: 1,
  firstResponse: {
    phone: { target: 'PT5M', clock: 'calendar' },
    chat: { target: 'PT60S', clock: 'calendar' },
    email: { target: 'PT8H', clock: 'business' },
    web: { target: 'PT8H', clock: 'business' },
  },
  resolution: { target: 'P10D', clock: 'business' },
  payment: { target: 'P3D', clock: 'business' },
  atRiskRatio: 0.75,
  businessCalendar: {
    timeZone: 'Asia/Shanghai',
    days: [1, 2, 3, 4, 5],
    open: '09:00',
    close: '18:00',
    holidays: [],
  },
};

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real date 'YYYY-MM-DD' (no 2025-02-30). Plain arithmetic: a calendar may list 1000 of them. */
function isCalendarDate(value: unknown): boolean {
  const m = typeof value === 'string' ? YMD.exec(value) : null;
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Minutes after local midnight, or undefined when not a valid 'HH:mm'. */
export function parseHhMm(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = HH_MM.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/**
 * Why a target string is unusable, or undefined when fine. Business clocks refuse years,
 * months and weeks: their length in working days is ambiguous.
 */
export function targetError(target: unknown, clock: unknown): string | undefined {
  if (typeof target !== 'string') return 'must be an ISO-8601 duration string';
  const d = Duration.fromISO(target);
  if (!d.isValid) return `"${target}" is not an ISO-8601 duration`;
  const parts = d.toObject();
  if (Object.values(parts).some((v) => (v as number) < 0)) return `"${target}" must not be negative`;
  if (!Object.values(parts).some((v) => (v as number) > 0)) return `"${target}" must be longer than zero`;
  if (clock === 'business' && (parts.years || parts.quarters || parts.months || parts.weeks)) {
    return `"${target}" on a business clock may only use days (working days), hours, minutes, seconds`;
  }
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const DAY_MS = 86_400_000;

/**
 * Why a valid target is longer than `maxDays`, or undefined. Calendar clocks measure the duration in days
 * (a month as 30, a year as 365); business clocks in working days of `calendar` (its open hours per day),
 * or of 24 hours when the calendar's hours are themselves invalid (the policy is refused for that anyway).
 */
export function targetMaximumError(target: string, clock: SlaClockKind, maxDays: number, calendar?: unknown): string | undefined {
  const d = Duration.fromISO(target);
  let days: number;
  if (clock === 'calendar') {
    days = d.as('milliseconds') / DAY_MS;
  } else {
    const cal = isRecord(calendar) ? calendar : {};
    const open = parseHhMm(cal.open);
    const close = parseHhMm(cal.close);
    const workingDay = open !== undefined && close !== undefined && open < close ? (close - open) * 60_000 : DAY_MS;
    const parts = d.toObject();
    days = (parts.days ?? 0) + Duration.fromObject({ ...parts, days: 0 }).as('milliseconds') / workingDay;
  }
  if (days <= maxDays) return undefined;
  const unit = clock === 'business' ? 'working days' : 'days';
  return `"${target}" is longer than the maximum of ${maxDays} ${unit} (P${maxDays}D)`;
}

function validateTarget(path: string, input: unknown, errors: string[], maxDays: number, calendar: unknown): void {
  if (!isRecord(input)) {
    errors.push(`${path}: must be an object { target, clock }`);
    return;
  }
  if (input.clock !== 'calendar' && input.clock !== 'business') {
    errors.push(`${path}.clock: must be "calendar" or "business"`);
  }
  const err = targetError(input.target, input.clock);
  if (err) errors.push(`${path}.target: ${err}`);
  else if (input.clock === 'calendar' || input.clock === 'business') {
    const tooLong = targetMaximumError(input.target as string, input.clock, maxDays, calendar);
    if (tooLong) errors.push(`${path}.target: ${tooLong}`);
  }
}

export function validateBusinessCalendar(input: unknown, path = 'businessCalendar'): string[] {
  const errors: string[] = [];
  if (!isRecord(input)) return [`${path}: must be an object`];
  if (typeof input.timeZone !== 'string' || !IANAZone.isValidZone(input.timeZone)) {
    errors.push(`${path}.timeZone: "${String(input.timeZone)}" is not a known IANA time zone`);
  }
  const days = input.days;
  if (!Array.isArray(days) || days.length === 0) {
    errors.push(`${path}.days: must be a non-empty list of ISO weekdays 1 (Mon) … 7 (Sun)`);
  } else {
    if (days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
      errors.push(`${path}.days: every day must be an integer 1 (Mon) … 7 (Sun)`);
    }
    if (new Set(days).size !== days.length) errors.push(`${path}.days: contains duplicates`);
  }
  const open = parseHhMm(input.open);
  const close = parseHhMm(input.close);
  if (open === undefined) errors.push(`${path}.open: must be a time "HH:mm" (00:00 … 23:59)`);
  if (close === undefined) errors.push(`${path}.close: must be a time "HH:mm" (00:00 … 23:59)`);
  if (open !== undefined && close !== undefined && open >= close) {
    errors.push(`${path}.open: must be before close (${String(input.open)} >= ${String(input.close)})`);
  }
  if (!Array.isArray(input.holidays)) {
    errors.push(`${path}.holidays: must be a list of dates "YYYY-MM-DD"`);
  } else if (input.holidays.length > MAX_HOLIDAYS) {
    errors.push(`${path}.holidays: at most ${MAX_HOLIDAYS} dates, got ${input.holidays.length}`);
  } else {
    for (const h of input.holidays) {
      if (!isCalendarDate(h)) {
        errors.push(`${path}.holidays: "${String(h)}" is not a date "YYYY-MM-DD"`);
      }
    }
  }
  return errors;
}

/** Human-readable errors, each naming its field; empty when the policy is usable. `version` is optional (the server assigns it). */
export function validateSlaPolicy(input: unknown): string[] {
  if (!isRecord(input)) return ['policy: must be an object'];
  const errors: string[] = [];
  if (input.version !== undefined && (!Number.isInteger(input.version) || (input.version as number) < 1)) {
    errors.push('version: must be a positive integer');
  }
  const fr = input.firstResponse;
  if (!isRecord(fr)) {
    errors.push(`firstResponse: must be an object with ${SLA_CHANNELS.join(', ')}`);
  } else {
    for (const ch of SLA_CHANNELS)
      validateTarget(`firstResponse.${ch}`, fr[ch], errors, SLA_TARGET_MAX_DAYS.firstResponse, input.businessCalendar);
    for (const key of Object.keys(fr)) {
      if (!(SLA_CHANNELS as readonly string[]).includes(key)) errors.push(`firstResponse.${key}: unknown channel`);
    }
  }
  validateTarget('resolution', input.resolution, errors, SLA_TARGET_MAX_DAYS.resolution, input.businessCalendar);
  validateTarget('payment', input.payment, errors, SLA_TARGET_MAX_DAYS.payment, input.businessCalendar);
  const r = input.atRiskRatio;
  if (typeof r !== 'number' || !Number.isFinite(r) || r <= 0 || r >= 1) {
    errors.push('atRiskRatio: must be a number strictly between 0 and 1');
  }
  errors.push(...validateBusinessCalendar(input.businessCalendar));
  if (input.publicNames !== undefined && typeof input.publicNames !== 'boolean') errors.push('publicNames: must be true or false');
  return errors;
}

const HAS_OFFSET = /(Z|[+-]\d{2}(:?\d{2})?)$/i;

/** Epoch ms of an ISO instant. An offset is required: a bare local time would depend on the server's zone. */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value !== 'string' || !HAS_OFFSET.test(value)) return undefined;
  const dt = DateTime.fromISO(value, { setZone: true });
  return dt.isValid ? dt.toMillis() : undefined;
}

export function validatePeakWindow(input: unknown): string[] {
  if (!isRecord(input)) return ['peakWindow: must be an object'];
  const errors: string[] = [];
  const start = parseInstant(input.start);
  const end = parseInstant(input.end);
  if (!start) errors.push('start: must be an ISO-8601 instant with Z or an offset');
  if (!end) errors.push('end: must be an ISO-8601 instant with Z or an offset');
  if (start && end && end <= start) errors.push('end: must be after start');
  const p = input.extensionPercent;
  if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > MAX_PEAK_EXTENSION_PERCENT) {
    errors.push(`extensionPercent: must be a number from 0 to ${MAX_PEAK_EXTENSION_PERCENT}`);
  }
  return errors;
}
