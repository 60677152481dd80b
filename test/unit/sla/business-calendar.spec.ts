import {
  addBusinessTime,
  addWorkingDays,
  businessTimeBetween,
  isOpen,
  isOpenDay,
  workingDayMs,
} from '../../../src/sla/domain/business-calendar';
import { addTarget } from '../../../src/sla/domain/sla-targets';
import { BusinessCalendar } from '../../../src/sla/domain/sla-policy';
import { BERLIN, HOUR, SHANGHAI, at, local } from './sla-test-helpers';

const B = 'Europe/Berlin';

describe('business calendar (Asia/Shanghai, Mon–Fri 09:00–18:00)', () => {
  it('a Friday 17:00 email (8 working hours) is due Monday 16:00', () => {
    const due = addTarget(at('2025-03-07T17:00'), { target: 'PT8H', clock: 'business' }, SHANGHAI);
    expect(local(due)).toBe('2025-03-10T16:00');
  });

  it('a filing on Saturday counts from Monday 09:00', () => {
    expect(local(addBusinessTime(at('2025-03-08T10:30'), 8 * HOUR, SHANGHAI))).toBe('2025-03-10T17:00');
    expect(businessTimeBetween(at('2025-03-08T10:30'), at('2025-03-10T09:00'), SHANGHAI)).toBe(0);
    expect(businessTimeBetween(at('2025-03-08T10:30'), at('2025-03-10T09:45'), SHANGHAI)).toBe(45 * 60_000);
  });

  it('a filing before opening counts from opening, after closing from the next opening', () => {
    expect(local(addBusinessTime(at('2025-03-10T07:00'), HOUR, SHANGHAI))).toBe('2025-03-10T10:00');
    expect(local(addBusinessTime(at('2025-03-10T19:00'), HOUR, SHANGHAI))).toBe('2025-03-11T10:00');
  });

  it('a duration that uses up the day ends at close, not at the next opening', () => {
    expect(local(addBusinessTime(at('2025-03-10T10:00'), 8 * HOUR, SHANGHAI))).toBe('2025-03-10T18:00');
    expect(local(addBusinessTime(at('2025-03-07T17:00'), HOUR, SHANGHAI))).toBe('2025-03-07T18:00');
  });

  it('adding zero returns the start unchanged, even when closed', () => {
    const sat = at('2025-03-08T10:30');
    expect(addBusinessTime(sat, 0, SHANGHAI).getTime()).toBe(sat.getTime());
  });

  it('skips holidays (National Day week)', () => {
    const cal: BusinessCalendar = {
      ...SHANGHAI,
      holidays: ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07'],
    };
    expect(local(addBusinessTime(at('2025-09-30T17:00'), 8 * HOUR, cal))).toBe('2025-10-08T16:00');
    expect(businessTimeBetween(at('2025-09-30T00:00'), at('2025-10-09T00:00'), cal)).toBe(18 * HOUR);
    expect(isOpen(at('2025-10-02T10:00'), cal)).toBe(false);
    expect(isOpenDay(at('2025-10-02T10:00'), cal)).toBe(false);
    expect(isOpenDay(at('2025-10-08T20:00'), cal)).toBe(true);
  });

  it('isOpen: open is inclusive, close exclusive; weekends closed', () => {
    expect(isOpen(at('2025-03-10T09:00'), SHANGHAI)).toBe(true);
    expect(isOpen(at('2025-03-10T17:59:59.999'), SHANGHAI)).toBe(true);
    expect(isOpen(at('2025-03-10T18:00'), SHANGHAI)).toBe(false);
    expect(isOpen(at('2025-03-10T08:59:59.999'), SHANGHAI)).toBe(false);
    expect(isOpen(at('2025-03-09T12:00'), SHANGHAI)).toBe(false);
  });

  it('working days are whole open days (9 h); P10D resolution and P3D payment', () => {
    expect(workingDayMs(SHANGHAI)).toBe(9 * HOUR);
    const res = { target: 'P10D', clock: 'business' } as const;
    expect(local(addTarget(at('2025-03-10T09:00'), res, SHANGHAI))).toBe('2025-03-21T18:00');
    expect(local(addTarget(at('2025-03-10T12:00'), res, SHANGHAI))).toBe('2025-03-24T12:00');
    expect(local(addWorkingDays(at('2025-03-12T15:00'), 3, SHANGHAI))).toBe('2025-03-17T15:00');
    // Mixed: one working day plus four open hours.
    expect(local(addTarget(at('2025-03-10T09:00'), { target: 'P1DT4H', clock: 'business' }, SHANGHAI))).toBe('2025-03-11T13:00');
  });

  it('calendar clocks are plain elapsed time, weekends included', () => {
    expect(local(addTarget(at('2025-03-08T23:58'), { target: 'PT5M', clock: 'calendar' }, SHANGHAI))).toBe('2025-03-09T00:03');
    const filed = at('2025-03-08T12:00:00');
    expect(addTarget(filed, { target: 'PT60S', clock: 'calendar' }, SHANGHAI).getTime() - filed.getTime()).toBe(60_000);
  });

  it('an extension scales the business duration (8 h + 50 % = 12 open hours)', () => {
    const due = addTarget(at('2025-03-07T17:00'), { target: 'PT8H', clock: 'business' }, SHANGHAI, 50);
    expect(local(due)).toBe('2025-03-11T11:00');
  });

  it('refuses bad input instead of looping or guessing', () => {
    expect(() => addBusinessTime(at('2025-03-10T09:00'), -1, SHANGHAI)).toThrow(RangeError);
    expect(() => addBusinessTime(at('2025-03-10T09:00'), 1.5, SHANGHAI)).toThrow(RangeError);
    expect(() => addBusinessTime(at('2025-03-10T09:00'), HOUR, { ...SHANGHAI, days: [] })).toThrow(RangeError);
    expect(() => addBusinessTime(at('2025-03-10T09:00'), HOUR, { ...SHANGHAI, open: '18:00' })).toThrow(RangeError);
    expect(() => addBusinessTime(at('2025-03-10T09:00'), HOUR, { ...SHANGHAI, timeZone: 'Mars/Base' })).toThrow(RangeError);
    expect(() => addTarget(at('2025-03-10T09:00'), { target: 'P1M', clock: 'business' }, SHANGHAI)).toThrow(RangeError);
  });

  it('a Monday-only calendar skips Mondays that are holidays', () => {
    const mondaysOnly: BusinessCalendar = { ...SHANGHAI, days: [1], holidays: ['2025-03-10', '2025-03-17'] };
    expect(local(addBusinessTime(at('2025-03-08T00:00'), HOUR, mondaysOnly))).toBe('2025-03-24T10:00');
  });
});

describe('business calendar across DST (Europe/Berlin)', () => {
  it('spring forward (Sun 30 March 2025): Friday 17:00 + 8 h is Monday 16:00, 70 h of wall time later', () => {
    const filed = at('2025-03-28T17:00', B);
    const due = addBusinessTime(filed, 8 * HOUR, BERLIN);
    expect(local(due, B)).toBe('2025-03-31T16:00');
    expect(due.toISOString()).toBe('2025-03-31T14:00:00.000Z');
    expect(due.getTime() - filed.getTime()).toBe(70 * HOUR);
  });

  it('fall back (Sun 26 October 2025): Friday 17:00 + 8 h is Monday 16:00, 72 h of wall time later', () => {
    const filed = at('2025-10-24T17:00', B);
    const due = addBusinessTime(filed, 8 * HOUR, BERLIN);
    expect(local(due, B)).toBe('2025-10-27T16:00');
    expect(due.toISOString()).toBe('2025-10-27T15:00:00.000Z');
    expect(due.getTime() - filed.getTime()).toBe(72 * HOUR);
  });

  it('a working week holds 45 open hours on both sides of each switch', () => {
    expect(businessTimeBetween(at('2025-03-24T00:00', B), at('2025-04-07T00:00', B), BERLIN)).toBe(90 * HOUR);
    expect(businessTimeBetween(at('2025-10-20T00:00', B), at('2025-11-03T00:00', B), BERLIN)).toBe(90 * HOUR);
  });

  it('open time is real elapsed time when a window spans the switch itself', () => {
    const night: BusinessCalendar = { ...BERLIN, days: [1, 2, 3, 4, 5, 6, 7], open: '01:00', close: '04:00' };
    // 01:00–04:00 on the spring-forward night lasts 2 h, on the fall-back night 4 h.
    expect(businessTimeBetween(at('2025-03-30T00:00', B), at('2025-03-31T00:00', B), night)).toBe(2 * HOUR);
    expect(businessTimeBetween(at('2025-10-26T00:00', B), at('2025-10-27T00:00', B), night)).toBe(4 * HOUR);
    expect(local(addBusinessTime(at('2025-03-30T00:00', B), 2 * HOUR, night), B)).toBe('2025-03-30T04:00');
  });
});
