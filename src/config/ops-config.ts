/**
 * Operations settings (issue #6): logs, rate limits, metrics, health and shutdown. Read by loadConfig,
 * which collects every problem (each naming its variable) before refusing to start.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface OpsConfig {
  /** LOG_LEVEL; `silent` turns every log off (tests). */
  logLevel: LogLevel;
  /** RATE_LIMIT_PER_MINUTE: requests per minute per authenticated user; 0 turns the limit off. */
  rateLimitPerUserPerMinute: number;
  /** RATE_LIMIT_PER_MINUTE_PER_IP: requests per minute per client address; 0 turns the limit off. */
  rateLimitPerIpPerMinute: number;
  /** TRUST_PROXY: take the client address from X-Forwarded-For (behind a load balancer). */
  trustProxy: boolean;
  /** METRICS_TOKEN: when set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`; public otherwise. */
  metricsToken: string | null;
  /** HEALTH_MAX_PROJECTION_LAG: events a projection may trail the log before /health answers 503; 0 = no limit. */
  healthMaxProjectionLag: number;
  /** SHUTDOWN_GRACE_MS: on SIGTERM, /health answers 503 this long before the server stops accepting requests. */
  shutdownGraceMs: number;
  /**
   * AUTH_FAILURES_PER_MINUTE_PER_IP: failed authentications (no, malformed, invalid or expired token) a client
   * address may have in a minute; past it, that address gets 429 for any token this instance has not verified
   * before. 0 turns the limit off.
   */
  authFailuresPerMinutePerIp: number;
  /** REQUEST_TIMEOUT_MS: the whole request (headers and body) must have arrived within this; 408 and closed otherwise. 0 = none. */
  requestTimeoutMs: number;
  /** HEADERS_TIMEOUT_MS: the request headers must have arrived within this (at most REQUEST_TIMEOUT_MS). 0 = none. */
  headersTimeoutMs: number;
  /** CONNECTION_TIMEOUT_MS: a connection on which nothing is read or written for this long is closed. 0 = none. */
  connectionTimeoutMs: number;
  /** SSE_MAX_STREAMS_PER_USER: open event streams per user on this instance; one more is 429. 0 = no cap. */
  sseMaxStreamsPerUser: number;
}

export function loadOpsConfig(env: NodeJS.ProcessEnv, problems: string[]): OpsConfig {
  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  const int = (name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > max) {
      problems.push(`${name} must be a whole number from 0 to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };
  const requestTimeoutMs = int('REQUEST_TIMEOUT_MS', 30_000, 3_600_000);
  // The headers have their own, shorter deadline by default; never longer than the whole request's.
  const headersTimeoutMs = int('HEADERS_TIMEOUT_MS', requestTimeoutMs > 0 ? Math.min(10_000, requestTimeoutMs) : 10_000, 3_600_000);
  if (requestTimeoutMs > 0 && headersTimeoutMs > requestTimeoutMs) {
    problems.push(`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not be longer than REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  }
  const metricsToken = env.METRICS_TOKEN && env.METRICS_TOKEN.length > 0 ? env.METRICS_TOKEN : null;
  if (metricsToken !== null && metricsToken.length < 16) problems.push('METRICS_TOKEN must be at least 16 characters');
  return {
    logLevel,
    rateLimitPerUserPerMinute: int('RATE_LIMIT_PER_MINUTE', 60_000),
    rateLimitPerIpPerMinute: int('RATE_LIMIT_PER_MINUTE_PER_IP', 120_000),
    trustProxy: bool('TRUST_PROXY', false),
    metricsToken,
    healthMaxProjectionLag: int('HEALTH_MAX_PROJECTION_LAG', 0),
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', 0, 120_000),
    authFailuresPerMinutePerIp: int('AUTH_FAILURES_PER_MINUTE_PER_IP', 30),
    requestTimeoutMs,
    headersTimeoutMs,
    connectionTimeoutMs: int('CONNECTION_TIMEOUT_MS', 120_000, 3_600_000),
    sseMaxStreamsPerUser: int('SSE_MAX_STREAMS_PER_USER', 5),
  };
}
