import { DateTime } from 'luxon';
import { BusinessCalendar, DEFAULT_SLA_POLICY } from '../../../src/sla/domain/sla-policy';

export const SHANGHAI: BusinessCalendar = DEFAULT_SLA_POLICY.businessCalendar;
export const BERLIN: BusinessCalendar = { ...SHANGHAI, timeZone: 'Europe/Berlin' };

/** A local wall-clock time in `zone` as a Date, e.g. at('2025-03-07T17:00'). */
export function at(local: string, zone = SHANGHAI.timeZone): Date {
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid) throw new Error(`bad test time ${local}`);
  return dt.toJSDate();
}

/** The local wall-clock rendering of `d` in `zone`, minute precision, for readable assertions. */
export function local(d: Date, zone = SHANGHAI.timeZone): string {
  return DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
