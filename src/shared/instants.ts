/**
 * One normal form for an instant that came in as text (a query parameter, a request field): the same instant as
 * ISO-8601 UTC with milliseconds (`2026-03-01T00:00:00.000Z`), the form the log and the read models store, so
 * string comparisons in SQL and in code agree. `undefined` passes through. The input is already validated
 * (class-validator `IsISO8601` or a domain check): an unparseable one throws `RangeError`, as `Date` does.
 */
export function toIsoInstant(value: string | number | Date): string;
export function toIsoInstant(value: string | number | Date | undefined): string | undefined;
export function toIsoInstant(value: string | number | Date | undefined): string | undefined {
  return value === undefined ? undefined : new Date(value).toISOString();
}
