import fc from 'fast-check';
import { DateTime } from 'luxon';
import { addBusinessTime, businessTimeBetween, isOpen, isOpenDay } from '../../../src/sla/domain/business-calendar';
import { BusinessCalendar } from '../../../src/sla/domain/sla-policy';
import { HOUR } from './sla-test-helpers';

const RUNS = { numRuns: 200 };
const ZONES = ['Asia/Shanghai', 'Europe/Berlin'] as const;
const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2027, 11, 31);
const QUARTER = 15 * 60_000;

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const holidayArb = fc
  .integer({ min: 0, max: Math.floor((TO - FROM) / 86_400_000) })
  .map((d) => DateTime.fromMillis(FROM + d * 86_400_000, { zone: 'UTC' }).toISODate() as string);

/** The default hours in either zone, or random hours on a 15-minute grid (some span Berlin's 02:00–03:00). */
function calendarArb(opts: { avoidDstHour?: boolean } = {}): fc.Arbitrary<BusinessCalendar> {
  const slot = fc
    .integer({ min: 0, max: 95 })
    .map((q) => q * 15)
    .filter((m) => !opts.avoidDstHour || m < 120 || m > 180);
  const hours = fc.oneof(
    fc.constant({ open: '09:00', close: '18:00', days: [1, 2, 3, 4, 5] as number[] }),
    fc
      .record({
        range: fc
          .tuple(slot, slot)
          .filter(([a, b]) => a !== b)
          .map(([a, b]) => [Math.min(a, b), Math.max(a, b)]),
        days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
      })
      .map(({ range, days }) => ({ open: hhmm(range[0]), close: hhmm(range[1]), days })),
  );
  return fc
    .record({
      timeZone: fc.constantFrom(...ZONES),
      hours,
      // Clustered holidays (a whole week off) as well as scattered ones.
      holidays: fc.oneof(
        fc.uniqueArray(holidayArb, { maxLength: 40 }),
        holidayArb.map((h) => weekOf(h)),
      ),
    })
    .map(({ timeZone, hours, holidays }) => ({ timeZone, ...hours, holidays }));
}

function weekOf(first: string): string[] {
  const d = DateTime.fromISO(first, { zone: 'UTC' });
  return Array.from({ length: 7 }, (_, i) => d.plus({ days: i }).toISODate() as string);
}

/** Random instants, plus quarter-hour-aligned ones so opens, closes and midnights get hit exactly. */
const instantArb = fc
  .oneof(
    fc.integer({ min: FROM, max: TO }),
    fc.integer({ min: FROM / QUARTER, max: TO / QUARTER }).map((q) => q * QUARTER),
  )
  .map((t) => new Date(t));

const durationArb = fc.oneof(
  fc.integer({ min: 1, max: 300 * HOUR }),
  fc.integer({ min: 1, max: 1200 }).map((q) => q * QUARTER),
);

function localOf(d: Date, cal: BusinessCalendar) {
  return DateTime.fromJSDate(d, { zone: cal.timeZone });
}

describe('addBusinessTime / businessTimeBetween properties (Shanghai and Berlin, random holidays)', () => {
  it('businessTimeBetween(start, addBusinessTime(start, d)) === d', () => {
    fc.assert(
      fc.property(calendarArb(), instantArb, durationArb, (cal, start, d) => {
        expect(businessTimeBetween(start, addBusinessTime(start, d, cal), cal)).toBe(d);
      }),
      RUNS,
    );
  });

  it('a positive duration ends inside open hours or exactly at close', () => {
    fc.assert(
      fc.property(calendarArb(), instantArb, durationArb, (cal, start, d) => {
        const end = addBusinessTime(start, d, cal);
        if (isOpen(end, cal)) return;
        // Not open: must be the closing instant — one ms earlier was open time.
        expect(isOpen(new Date(end.getTime() - 1), cal)).toBe(true);
        const wall = localOf(end, cal);
        expect(wall.toFormat('HH:mm')).toBe(cal.close);
        expect(wall.second * 1000 + wall.millisecond).toBe(0);
      }),
      RUNS,
    );
  });

  it('the result never lands on a holiday or a closed weekday', () => {
    fc.assert(
      fc.property(calendarArb(), instantArb, durationArb, (cal, start, d) => {
        const wall = localOf(addBusinessTime(start, d, cal), cal);
        expect(cal.holidays).not.toContain(wall.toISODate());
        expect(cal.days).toContain(wall.weekday);
        expect(isOpenDay(wall.toJSDate(), cal)).toBe(true);
      }),
      RUNS,
    );
  });

  it('is strictly monotonic in the duration', () => {
    fc.assert(
      fc.property(calendarArb(), instantArb, durationArb, durationArb, (cal, start, a, b) => {
        fc.pre(a !== b);
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(addBusinessTime(start, lo, cal).getTime()).toBeLessThan(addBusinessTime(start, hi, cal).getTime());
      }),
      RUNS,
    );
  });

  it('is additive: add(add(s, a), b) === add(s, a + b)', () => {
    fc.assert(
      fc.property(
        calendarArb(),
        instantArb,
        fc.oneof(fc.constant(0), durationArb),
        fc.oneof(fc.constant(0), durationArb),
        (cal, start, a, b) => {
          const chained = addBusinessTime(addBusinessTime(start, a, cal), b, cal);
          expect(chained.getTime()).toBe(addBusinessTime(start, a + b, cal).getTime());
        },
      ),
      RUNS,
    );
  });

  it('businessTimeBetween is additive over a split point and never more than wall time', () => {
    const gap = fc.integer({ min: 0, max: 45 * 24 * HOUR });
    fc.assert(
      fc.property(calendarArb(), instantArb, gap, gap, (cal, a, g1, g2) => {
        const b = new Date(a.getTime() + g1);
        const c = new Date(b.getTime() + g2);
        const whole = businessTimeBetween(a, c, cal);
        expect(whole).toBe(businessTimeBetween(a, b, cal) + businessTimeBetween(b, c, cal));
        expect(whole).toBeLessThanOrEqual(c.getTime() - a.getTime());
        expect(businessTimeBetween(c, a, cal)).toBe(0);
      }),
      RUNS,
    );
  });

  it('agrees with a slow oracle that inspects each quarter hour on its own', () => {
    const quarterStart = fc.integer({ min: FROM / QUARTER, max: TO / QUARTER }).map((q) => new Date(q * QUARTER));
    fc.assert(
      fc.property(calendarArb({ avoidDstHour: true }), quarterStart, fc.integer({ min: 0, max: 4 * 24 * 14 }), (cal, a, quarters) => {
        const b = new Date(a.getTime() + quarters * QUARTER);
        let expected = 0;
        for (let t = a.getTime(); t < b.getTime(); t += QUARTER) {
          const wall = DateTime.fromMillis(t, { zone: cal.timeZone });
          const hm = wall.toFormat('HH:mm');
          const open =
            cal.days.includes(wall.weekday) && !cal.holidays.includes(wall.toISODate() as string) && hm >= cal.open && hm < cal.close;
          if (open) expected += QUARTER;
        }
        expect(businessTimeBetween(a, b, cal)).toBe(expected);
      }),
      { numRuns: 100 },
    );
  });
});

/**
 * The calendar memoises zone offsets per UTC hour and windows per local day. Compared here with luxon computed
 * from scratch, in zones whose transitions fall off the UTC hour (Adelaide, Kathmandu) or shift 30 minutes
 * (Lord Howe), on instants near transitions as well as random ones.
 */
describe('memoised zone arithmetic agrees with luxon from scratch', () => {
  // Santiago and Havana switch at local midnight, where a wrong offset moves the local date.
  const MEMO_ZONES = [
    'Australia/Adelaide',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'America/New_York',
    'Europe/Berlin',
    'America/Santiago',
    'America/Havana',
  ];
  const transitionsNear = (zone: string) => {
    const out: number[] = [];
    for (let t = FROM; t < TO; t += 3_600_000) {
      if (DateTime.fromMillis(t, { zone }).offset !== DateTime.fromMillis(t + 3_600_000, { zone }).offset) out.push(t);
    }
    return out;
  };
  const near = Object.fromEntries(MEMO_ZONES.map((z) => [z, transitionsNear(z)]));
  const instantArb = (zone: string) =>
    fc.oneof(
      fc.integer({ min: FROM, max: TO }),
      fc
        .tuple(fc.constantFrom(...(near[zone].length > 0 ? near[zone] : [FROM])), fc.integer({ min: -2 * 3_600_000, max: 3 * 3_600_000 }))
        .map(([t, d]) => t + d),
    );
  const reference = (t: number, cal: BusinessCalendar): boolean => {
    const local = DateTime.fromMillis(t, { zone: cal.timeZone });
    if (!cal.days.includes(local.weekday) || cal.holidays.includes(local.toISODate() as string)) return false;
    const at = (hm: string) => {
      const [hour, minute] = hm.split(':').map(Number);
      return DateTime.fromObject({ year: local.year, month: local.month, day: local.day, hour, minute }, { zone: cal.timeZone }).toMillis();
    };
    return t >= at(cal.open) && t < at(cal.close);
  };

  it('isOpen equals the reference around every transition, in every zone', () => {
    for (const zone of MEMO_ZONES) {
      if (zone !== 'Asia/Kathmandu') expect(near[zone].length).toBeGreaterThan(0); // +05:45 all year
      const cal: BusinessCalendar = {
        timeZone: zone,
        open: '00:00',
        close: '23:45',
        days: [1, 2, 3, 4, 5, 6, 7],
        holidays: ['2025-03-30'],
      };
      fc.assert(
        fc.property(instantArb(zone), (t) => isOpen(new Date(t), cal) === reference(t, cal)),
        { numRuns: 400 },
      );
    }
  });
});
