import { DateTime } from 'luxon';
import { MAX_CALENDAR_SPAN_DAYS, addBusinessTime, businessTimeBetween, workingDayMs } from '../../../src/sla/domain/business-calendar';
import { addTarget, businessTargetMs } from '../../../src/sla/domain/sla-targets';
import {
  BusinessCalendar,
  DEFAULT_SLA_POLICY,
  MAX_HOLIDAYS,
  SLA_TARGET_MAX_DAYS,
  validateSlaPolicy,
} from '../../../src/sla/domain/sla-policy';
import { ConfigError, loadConfig } from '../../../src/config/app-config';
import { BERLIN, HOUR, SHANGHAI, at } from './sla-test-helpers';

/**
 * Issue #12 finding 2: a what-if with `P100000D` on the business clock walked the calendar day by day on the
 * request thread for minutes. Policies are now refused beyond documented maxima, and the arithmetic itself is
 * bounded (blocks of days with running sums, and a hard cap on the span of any one computation).
 */
const withChanges = (patch: Record<string, unknown>): unknown => ({ ...DEFAULT_SLA_POLICY, ...patch });

describe('policy target maxima (validateSlaPolicy, shared by PUT /sla/policy and what-if)', () => {
  it('refuses P100000D, naming the field and the maximum', () => {
    const errors = validateSlaPolicy(withChanges({ resolution: { target: 'P100000D', clock: 'business' } }));
    expect(errors).toEqual(['resolution.target: "P100000D" is longer than the maximum of 365 working days (P365D)']);
  });

  it.each([
    ['firstResponse.email', { firstResponse: { ...DEFAULT_SLA_POLICY.firstResponse, email: { target: 'P31D', clock: 'business' } } }, 30],
    ['firstResponse.phone', { firstResponse: { ...DEFAULT_SLA_POLICY.firstResponse, phone: { target: 'PT721H', clock: 'calendar' } } }, 30],
    ['resolution', { resolution: { target: 'P366D', clock: 'business' } }, 365],
    ['resolution', { resolution: { target: 'P13M', clock: 'calendar' } }, 365],
    ['payment', { payment: { target: 'P91D', clock: 'business' } }, 90],
    ['payment', { payment: { target: 'P4M', clock: 'calendar' } }, 90],
  ])('refuses %s beyond its maximum (%#)', (field, patch, max) => {
    const errors = validateSlaPolicy(withChanges(patch));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^${field.replace('.', '\\.')}\\.target: .*maximum of ${max} (working )?days`));
  });

  it('accepts every target at its maximum', () => {
    const max = (days: number, clock: 'calendar' | 'business') => ({ target: `P${days}D`, clock });
    const fr = max(SLA_TARGET_MAX_DAYS.firstResponse, 'business');
    expect(
      validateSlaPolicy(
        withChanges({
          firstResponse: { phone: fr, chat: fr, email: fr, web: fr },
          resolution: max(365, 'business'),
          payment: max(90, 'business'),
        }),
      ),
    ).toEqual([]);
    expect(
      validateSlaPolicy(withChanges({ resolution: { target: 'P1Y', clock: 'calendar' }, payment: { target: 'P12W', clock: 'calendar' } })),
    ).toEqual([]);
  });

  it('counts business hours as open time in working days of the calendar', () => {
    // 9-hour days: 810 h is 90 working days, 819 h is 91.
    expect(validateSlaPolicy(withChanges({ payment: { target: 'PT810H', clock: 'business' } }))).toEqual([]);
    expect(validateSlaPolicy(withChanges({ payment: { target: 'PT819H', clock: 'business' } }))[0]).toMatch(
      /^payment\.target: .*90 working days/,
    );
    // On a one-hour day the same 810 hours are 810 working days.
    const short = { ...DEFAULT_SLA_POLICY.businessCalendar, open: '09:00', close: '10:00' };
    expect(validateSlaPolicy(withChanges({ payment: { target: 'PT810H', clock: 'business' }, businessCalendar: short }))[0]).toMatch(
      /^payment\.target: /,
    );
  });

  it('refuses more than MAX_HOLIDAYS holidays without checking each one', () => {
    const start = DateTime.fromISO('2020-01-01', { zone: 'UTC' });
    const holidays = Array.from({ length: MAX_HOLIDAYS + 1 }, (_, i) => start.plus({ days: i }).toISODate());
    const errors = validateSlaPolicy(withChanges({ businessCalendar: { ...DEFAULT_SLA_POLICY.businessCalendar, holidays } }));
    expect(errors).toEqual([`businessCalendar.holidays: at most ${MAX_HOLIDAYS} dates, got ${MAX_HOLIDAYS + 1}`]);
  });

  it('refuses a calendar without an open weekday or an open window', () => {
    const cal = (patch: object) => withChanges({ businessCalendar: { ...DEFAULT_SLA_POLICY.businessCalendar, ...patch } });
    expect(validateSlaPolicy(cal({ days: [] }))[0]).toMatch(/^businessCalendar\.days: /);
    expect(validateSlaPolicy(cal({ open: '09:00', close: '09:00' }))[0]).toMatch(/^businessCalendar\.open: /);
  });
});

/** Day-by-day reference with luxon from scratch: the open time of each local day in [a, b). */
function slowBetween(a: number, b: number, cal: BusinessCalendar): number {
  let total = 0;
  for (let d = DateTime.fromMillis(a, { zone: cal.timeZone }).startOf('day'); d.toMillis() < b; d = d.plus({ days: 1 })) {
    if (!cal.days.includes(d.weekday) || cal.holidays.includes(d.toISODate() as string)) continue;
    const wall = (hm: string) => d.set({ hour: Number(hm.slice(0, 2)), minute: Number(hm.slice(3)) }).toMillis();
    const open = wall(cal.open);
    const close = wall(cal.close);
    total += Math.max(0, Math.min(b, close) - Math.max(a, open));
  }
  return total;
}

describe('bounded business-calendar arithmetic', () => {
  const elapsed = (fn: () => unknown) => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };

  it('the longest allowed target (+50 %) agrees with a day-by-day reference, across DST and holidays', () => {
    const cal: BusinessCalendar = { ...BERLIN, holidays: ['2025-12-25', '2025-12-26', '2026-01-01', '2026-04-03', '2026-12-25'] };
    const start = at('2025-03-07T17:00', 'Europe/Berlin');
    const ms = Math.round(businessTargetMs('P365D', cal) * 1.5);
    const due = addBusinessTime(start, ms, cal);
    expect(businessTimeBetween(start, due, cal)).toBe(ms);
    expect(slowBetween(start.getTime(), due.getTime(), cal)).toBe(ms);
    // One millisecond less ends one millisecond earlier (inside the same window).
    expect(addBusinessTime(start, ms - 1, cal).getTime()).toBe(due.getTime() - 1);
  });

  it('measures long spans in steps of blocks, not days', () => {
    const cal: BusinessCalendar = { ...SHANGHAI, holidays: ['2031-10-01'] };
    const a = at('2026-01-05T10:00');
    const b = at('2036-01-05T10:00'); // ten years
    businessTimeBetween(a, b, cal); // builds the memo
    expect(elapsed(() => businessTimeBetween(a, b, cal))).toBeLessThan(20);
    expect(businessTimeBetween(a, b, cal)).toBe(slowBetween(a.getTime(), b.getTime(), cal));
  });

  it('P100000D (if it ever got past validation) throws a clear RangeError quickly instead of walking for minutes', () => {
    const cal = SHANGHAI;
    const start = at('2026-01-05T10:00');
    let thrown: unknown;
    const ms = elapsed(() => {
      try {
        addTarget(start, { target: 'P100000D', clock: 'business' }, cal);
      } catch (error) {
        thrown = error;
      }
    });
    expect(thrown).toBeInstanceOf(RangeError);
    expect((thrown as Error).message).toContain(`more than ${MAX_CALENDAR_SPAN_DAYS} days`);
    expect(ms).toBeLessThan(2000); // at most the cap's worth of windows, built once
    expect(() => businessTimeBetween(start, new Date(start.getTime() + (MAX_CALENDAR_SPAN_DAYS + 2) * 86_400_000), cal)).toThrow(
      RangeError,
    );
  });

  it('the sparsest valid calendar (one open minute, one weekday, MAX_HOLIDAYS holidays on it) still fits the span cap', () => {
    const sundays: string[] = [];
    for (let d = DateTime.fromISO('2026-01-04', { zone: 'Asia/Shanghai' }); sundays.length < MAX_HOLIDAYS; d = d.plus({ weeks: 1 }))
      sundays.push(d.toISODate() as string);
    const cal: BusinessCalendar = { timeZone: 'Asia/Shanghai', days: [7], open: '09:00', close: '09:01', holidays: sundays };
    const day = { target: 'P1D', clock: 'business' };
    const firstResponse = { phone: day, chat: day, email: day, web: day };
    expect(
      validateSlaPolicy(withChanges({ businessCalendar: cal, firstResponse, resolution: { target: 'P365D', clock: 'business' } })),
    ).toEqual([]);
    const start = at('2026-01-01T10:00');
    const ms = Math.round(businessTargetMs('P365D', cal) * 1.5);
    expect(ms).toBe(Math.round(365 * 1.5 * workingDayMs(cal)));
    const due = addBusinessTime(start, ms, cal);
    expect(businessTimeBetween(start, due, cal)).toBe(ms);
    expect(due.getTime() - start.getTime()).toBeLessThan(MAX_CALENDAR_SPAN_DAYS * 86_400_000);
    expect(elapsed(() => addBusinessTime(start, ms, cal))).toBeLessThan(20); // memoised now
  });

  it('short durations still end where they did (Friday 17:00 + 8 h is Monday 16:00)', () => {
    expect(addBusinessTime(at('2025-03-07T17:00'), 8 * HOUR, SHANGHAI).toISOString()).toBe(at('2025-03-10T16:00').toISOString());
  });
});

describe('what-if configuration', () => {
  const env = { AUTH_JWT_SECRET: 'x'.repeat(32) };
  it('defaults to a 10 s budget and two replays at once', () => {
    expect(loadConfig(env).whatIf).toEqual({ timeBudgetMs: 10_000, maxConcurrent: 2 });
    expect(loadConfig({ ...env, WHAT_IF_TIME_BUDGET_MS: '2500', WHAT_IF_MAX_CONCURRENT: '4' }).whatIf).toEqual({
      timeBudgetMs: 2500,
      maxConcurrent: 4,
    });
  });
  it.each([
    ['WHAT_IF_TIME_BUDGET_MS', 'soon'],
    ['WHAT_IF_TIME_BUDGET_MS', '0'],
    ['WHAT_IF_MAX_CONCURRENT', '0'],
    ['WHAT_IF_MAX_CONCURRENT', '1.5'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => loadConfig({ ...env, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, [name]: value })).toThrow(name);
  });
});
