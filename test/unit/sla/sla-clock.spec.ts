import fc from 'fast-check';
import { businessTimeBetween } from '../../../src/sla/domain/business-calendar';
import { peakExtensionPercent, resolutionDueAt } from '../../../src/sla/domain/sla-clock';
import { DEFAULT_SLA_POLICY as POLICY, PeakWindow, SlaChannel } from '../../../src/sla/domain/sla-policy';
import { addTarget } from '../../../src/sla/domain/sla-targets';
import { HOUR, SHANGHAI, at, local } from './sla-test-helpers';

const singlesDay: PeakWindow = {
  start: '2025-11-10T00:00:00+08:00',
  end: '2025-11-12T00:00:00+08:00',
  extensionPercent: 20,
};

/** The first-response due time as the filing computes it: the channel's target, extended by the peak window the filing falls in. */
const firstResponseDueAt = (channel: SlaChannel, filedAt: Date, policy = POLICY, windows: readonly PeakWindow[] = []) =>
  addTarget(filedAt, policy.firstResponse[channel], policy.businessCalendar, peakExtensionPercent(filedAt, windows));

describe('first-response due time (target + peak extension)', () => {
  it('applies each channel target and clock', () => {
    const sat = at('2025-03-08T10:00');
    expect(local(firstResponseDueAt('phone', sat, POLICY))).toBe('2025-03-08T10:05');
    expect(firstResponseDueAt('chat', sat, POLICY).getTime() - sat.getTime()).toBe(60_000);
    expect(local(firstResponseDueAt('email', sat, POLICY))).toBe('2025-03-10T17:00');
    expect(local(firstResponseDueAt('web', at('2025-03-07T17:00'), POLICY))).toBe('2025-03-10T16:00');
  });

  it('extends the target inside an announced peak window ([start, end))', () => {
    const mon = at('2025-11-10T10:00');
    expect(local(firstResponseDueAt('phone', mon, POLICY, [singlesDay]))).toBe('2025-11-10T10:06');
    expect(firstResponseDueAt('chat', mon, POLICY, [singlesDay]).getTime() - mon.getTime()).toBe(72_000);
    // 8 h + 20 % = 9.6 open hours: the rest of Monday (8 h) then 1 h 36 min on Tuesday.
    expect(local(firstResponseDueAt('email', mon, POLICY, [singlesDay]))).toBe('2025-11-11T10:36');
    expect(local(firstResponseDueAt('phone', at('2025-11-12T00:00'), POLICY, [singlesDay]))).toBe('2025-11-12T00:05');
    expect(local(firstResponseDueAt('phone', at('2025-11-09T23:59'), POLICY, [singlesDay]))).toBe('2025-11-10T00:04');
  });

  it('takes the largest extension of overlapping windows, not their sum', () => {
    const launch: PeakWindow = { start: '2025-11-11T00:00:00Z', end: '2025-11-12T00:00:00Z', extensionPercent: 50 };
    expect(peakExtensionPercent(at('2025-11-11T12:00'), [singlesDay, launch])).toBe(50);
    expect(peakExtensionPercent(at('2025-11-10T12:00'), [singlesDay, launch])).toBe(20);
    expect(peakExtensionPercent(at('2025-11-13T12:00'), [singlesDay, launch])).toBe(0);
  });
});

describe('resolutionDueAt', () => {
  const filed = at('2025-03-10T09:00');

  it('is 10 working days from filing without pauses', () => {
    expect(local(resolutionDueAt(filed, [], POLICY)!)).toBe('2025-03-21T18:00');
  });

  it('pushes the due time out by the business time a third party held the case', () => {
    const mediation = { from: at('2025-03-12T09:00'), to: at('2025-03-14T09:00') }; // 2 working days
    expect(local(resolutionDueAt(filed, [mediation], POLICY)!)).toBe('2025-03-25T18:00');
  });

  it('does not count closed hours of a pause, nor overlapping pauses twice', () => {
    const weekend = { from: at('2025-03-14T18:00'), to: at('2025-03-17T09:00') };
    expect(local(resolutionDueAt(filed, [weekend], POLICY)!)).toBe('2025-03-21T18:00');
    const overlapping = [
      { from: at('2025-03-12T09:00'), to: at('2025-03-14T09:00') },
      { from: at('2025-03-13T09:00'), to: at('2025-03-13T18:00') },
    ];
    expect(local(resolutionDueAt(filed, overlapping, POLICY)!)).toBe('2025-03-25T18:00');
  });

  it('ignores pauses that begin after the clock already ran out', () => {
    const late = { from: at('2025-03-24T09:00'), to: at('2025-04-30T09:00') };
    expect(local(resolutionDueAt(filed, [late], POLICY)!)).toBe('2025-03-21T18:00');
  });

  it('an open pause has no due time unless asked "as of" an instant', () => {
    const arbitration = [{ from: at('2025-03-12T09:00') }];
    expect(resolutionDueAt(filed, arbitration, POLICY)).toBeNull();
    expect(local(resolutionDueAt(filed, arbitration, POLICY, at('2025-03-13T09:00'))!)).toBe('2025-03-24T18:00');
  });

  it('keeps exactly the target of running business time', () => {
    const pauses = [
      { from: at('2025-03-11T14:30'), to: at('2025-03-12T11:00') },
      { from: at('2025-03-18T10:00'), to: at('2025-03-20T16:15') },
    ];
    const due = resolutionDueAt(filed, pauses, POLICY)!;
    const held = pauses.reduce((sum, p) => sum + businessTimeBetween(p.from, p.to, SHANGHAI), 0);
    expect(businessTimeBetween(filed, due, SHANGHAI) - held).toBe(90 * HOUR);
  });
});

describe('resolutionDueAt property', () => {
  it('running business time between filing and due, outside every pause, equals the target', () => {
    const base = at('2025-01-01T00:00').getTime();
    const instant = fc.integer({ min: 0, max: 60 * 24 * HOUR }).map((o) => new Date(base + o));
    const pause = fc
      .tuple(instant, fc.integer({ min: 0, max: 10 * 24 * HOUR }))
      .map(([from, len]) => ({ from, to: new Date(from.getTime() + len) }));
    fc.assert(
      fc.property(instant, fc.array(pause, { maxLength: 5 }), (filedAt, pauses) => {
        const due = resolutionDueAt(filedAt, pauses, POLICY)!;
        // Merge pauses clipped to [filedAt, due) and subtract their open time.
        const clipped = pauses
          .map((p) => [Math.max(p.from.getTime(), filedAt.getTime()), Math.min(p.to.getTime(), due.getTime())])
          .filter(([a, b]) => a < b)
          .sort((x, y) => x[0] - y[0]);
        const merged: number[][] = [];
        for (const [a, b] of clipped) {
          const last = merged[merged.length - 1];
          if (last && a <= last[1]) last[1] = Math.max(last[1], b);
          else merged.push([a, b]);
        }
        const held = merged.reduce((sum, [a, b]) => sum + businessTimeBetween(new Date(a), new Date(b), SHANGHAI), 0);
        expect(businessTimeBetween(filedAt, due, SHANGHAI) - held).toBe(90 * HOUR);
      }),
      { numRuns: 200 },
    );
  });
});
