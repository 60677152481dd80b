import { toIsoInstant } from '../../../src/shared/instants';

describe('toIsoInstant', () => {
  it('writes any ISO-8601 instant as UTC with milliseconds, the form the log stores', () => {
    expect(toIsoInstant('2026-03-01')).toBe('2026-03-01T00:00:00.000Z');
    expect(toIsoInstant('2026-03-01T08:00:00+08:00')).toBe('2026-03-01T00:00:00.000Z');
    expect(toIsoInstant(Date.UTC(2026, 2, 1))).toBe('2026-03-01T00:00:00.000Z');
  });

  it('passes undefined through and refuses an unparseable instant as Date does', () => {
    expect(toIsoInstant(undefined)).toBeUndefined();
    expect(() => toIsoInstant('not a time')).toThrow(RangeError);
  });
});
