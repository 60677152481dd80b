/**
 * One duration unit across the API (issue 16): milliseconds, in a `…Ms` field beside each older field that
 * says a duration in seconds (or ISO-8601), which stays as it was.
 */
export function secondsToMs(seconds: number): number;
export function secondsToMs(seconds: number | null): number | null;
export function secondsToMs(seconds: number | null): number | null {
  return seconds === null ? null : Math.round(seconds * 1000);
}
