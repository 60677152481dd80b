/** Token lifetimes in configuration (AUTH_MAX_TOKEN_TTL) and in messages; the token rules themselves are in src/auth/token-rules.ts. */
export const DEFAULT_MAX_TOKEN_TTL_SECONDS = 12 * 3600;
/** The longest AUTH_MAX_TOKEN_TTL accepted: 30 days. */
export const MAX_TOKEN_TTL_LIMIT_SECONDS = 30 * 86_400;

/**
 * A duration in seconds: a whole number of seconds (`43200`) or one with a unit (`90s`, `30m`, `12h`, `7d`).
 * `undefined` when the text is neither.
 */
export function parseDurationSeconds(text: string): number | undefined {
  const match = /^\s*(\d+)\s*([smhd]?)\s*$/.exec(text);
  if (!match) return undefined;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  const seconds = Number(match[1]) * unit;
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}

/** AUTH_MAX_TOKEN_TTL from the environment, in seconds (default 12 h); a bad value adds a problem naming the variable. */
export function maxTokenTtlFrom(env: NodeJS.ProcessEnv, problems: string[]): number {
  const raw = env.AUTH_MAX_TOKEN_TTL;
  if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_TOKEN_TTL_SECONDS;
  const seconds = parseDurationSeconds(raw);
  if (seconds === undefined || seconds < 1 || seconds > MAX_TOKEN_TTL_LIMIT_SECONDS) {
    problems.push(
      `AUTH_MAX_TOKEN_TTL must be a duration from 1 s to 30 d: seconds (43200) or with a unit (90s, 30m, 12h, 7d), got "${raw}"`,
    );
    return DEFAULT_MAX_TOKEN_TTL_SECONDS;
  }
  return seconds;
}

export function formatSeconds(seconds: number): string {
  if (!Number.isSafeInteger(seconds) || seconds === 0) return `${seconds} s`;
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
