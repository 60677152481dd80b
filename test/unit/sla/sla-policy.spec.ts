import { DEFAULT_SLA_POLICY, SlaPolicy, validatePeakWindow, validateSlaPolicy } from '../../../src/sla/domain/sla-policy';

const withChanges = (patch: Record<string, unknown>): unknown => ({ ...DEFAULT_SLA_POLICY, ...patch });
const calendar = (patch: Record<string, unknown>): unknown =>
  withChanges({ businessCalendar: { ...DEFAULT_SLA_POLICY.businessCalendar, ...patch } });

describe('DEFAULT_SLA_POLICY', () => {
  it('holds the DOMAIN.md defaults and is valid', () => {
    const p: SlaPolicy = DEFAULT_SLA_POLICY;
    expect(p.version).toBe(1);
    expect(p.firstResponse).toEqual({
      phone: { target: 'PT5M', clock: 'calendar' },
      chat: { target: 'PT60S', clock: 'calendar' },
      email: { target: 'PT8H', clock: 'business' },
      web: { target: 'PT8H', clock: 'business' },
    });
    expect(p.resolution).toEqual({ target: 'P10D', clock: 'business' });
    expect(p.payment).toEqual({ target: 'P3D', clock: 'business' });
    expect(p.atRiskRatio).toBe(0.75);
    expect(p.businessCalendar).toEqual({
      timeZone: 'Asia/Shanghai',
      days: [1, 2, 3, 4, 5],
      open: '09:00',
      close: '18:00',
      holidays: [],
    });
    expect(validateSlaPolicy(p)).toEqual([]);
  });

  it('accepts a PUT body without version (the server assigns it)', () => {
    const { version: _version, ...body } = DEFAULT_SLA_POLICY;
    expect(validateSlaPolicy(body)).toEqual([]);
  });
});

describe('validateSlaPolicy', () => {
  const errorsFor = (input: unknown) => validateSlaPolicy(input);
  const expectError = (input: unknown, field: string) => expect(errorsFor(input).some((e) => e.startsWith(field))).toBe(true);

  it.each([
    ['bogus', 'not an ISO-8601 duration'],
    ['PT0S', 'longer than zero'],
    ['PT-5M', 'negative'],
    [42, 'ISO-8601 duration string'],
  ])('rejects the duration %p', (target, message) => {
    const errors = errorsFor(withChanges({ firstResponse: { ...DEFAULT_SLA_POLICY.firstResponse, phone: { target, clock: 'calendar' } } }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^firstResponse\.phone\.target: /);
    expect(errors[0]).toContain(message);
  });

  it('rejects months and weeks on business clocks but allows them on calendar clocks', () => {
    expectError(withChanges({ resolution: { target: 'P1M', clock: 'business' } }), 'resolution.target');
    expectError(withChanges({ payment: { target: 'P1W', clock: 'business' } }), 'payment.target');
    expect(errorsFor(withChanges({ payment: { target: 'P1W', clock: 'calendar' } }))).toEqual([]);
  });

  it('rejects unknown clocks, missing and unknown channels', () => {
    expectError(withChanges({ payment: { target: 'P3D', clock: 'wall' } }), 'payment.clock');
    const { chat: _chat, ...noChat } = DEFAULT_SLA_POLICY.firstResponse;
    expectError(withChanges({ firstResponse: noChat }), 'firstResponse.chat');
    expectError(withChanges({ firstResponse: { ...noChat, chat: noChat.phone, fax: noChat.phone } }), 'firstResponse.fax');
    expectError(withChanges({ resolution: undefined }), 'resolution');
  });

  it.each([0, 1, -0.1, 1.5, Number.NaN, '0.75'])('rejects atRiskRatio %p', (r) => {
    expectError(withChanges({ atRiskRatio: r }), 'atRiskRatio');
  });

  it('rejects a bad business calendar, naming each field', () => {
    expectError(calendar({ timeZone: 'Mars/Olympus_Mons' }), 'businessCalendar.timeZone');
    expectError(calendar({ open: '18:00', close: '09:00' }), 'businessCalendar.open');
    expectError(calendar({ open: '09:00', close: '09:00' }), 'businessCalendar.open');
    expectError(calendar({ open: '9am' }), 'businessCalendar.open');
    expectError(calendar({ close: '24:00' }), 'businessCalendar.close');
    expectError(calendar({ days: [] }), 'businessCalendar.days');
    expectError(calendar({ days: [0, 1] }), 'businessCalendar.days');
    expectError(calendar({ days: [1, 8] }), 'businessCalendar.days');
    expectError(calendar({ days: [1, 1] }), 'businessCalendar.days');
    expectError(calendar({ holidays: ['2025-02-30'] }), 'businessCalendar.holidays');
    expectError(calendar({ holidays: ['1 May'] }), 'businessCalendar.holidays');
    expectError(withChanges({ businessCalendar: null }), 'businessCalendar');
  });

  it('reports every problem at once, and survives non-object input', () => {
    expect(errorsFor(withChanges({ atRiskRatio: 2, version: 0, ...{ payment: {} } }))).toHaveLength(4);
    expect(errorsFor(null)).toEqual(['policy: must be an object']);
  });
});

describe('validatePeakWindow', () => {
  const ok = { start: '2025-11-10T00:00:00+08:00', end: '2025-11-12T00:00:00+08:00', extensionPercent: 50 };
  it('accepts a window up to 50 %', () => expect(validatePeakWindow(ok)).toEqual([]));
  it('rejects an extension above 50 % or below 0', () => {
    expect(validatePeakWindow({ ...ok, extensionPercent: 51 })[0]).toMatch(/^extensionPercent/);
    expect(validatePeakWindow({ ...ok, extensionPercent: -1 })[0]).toMatch(/^extensionPercent/);
  });
  it('rejects end before start and instants without an offset', () => {
    expect(validatePeakWindow({ ...ok, end: ok.start })).toEqual(['end: must be after start']);
    expect(validatePeakWindow({ ...ok, start: '2025-11-10T00:00' })[0]).toMatch(/^start/);
  });
});
