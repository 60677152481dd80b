import {
  DEFAULT_MAX_TOKEN_TTL_SECONDS,
  formatSeconds,
  MAX_TOKEN_TTL_LIMIT_SECONDS,
  maxTokenTtlFrom,
  parseDurationSeconds,
} from '../config/token-ttl';

export { DEFAULT_MAX_TOKEN_TTL_SECONDS, formatSeconds, MAX_TOKEN_TTL_LIMIT_SECONDS, maxTokenTtlFrom, parseDurationSeconds };
/**
 * The rules a verified token's header and claims must meet (README "Tokens and limits"), as pure functions:
 * the guard applies them once when it verifies a token, and `timeProblem` again on every later use of the
 * same token (its verified-token cache), so a cached token is refused the moment it would be refused anew.
 *
 * - `exp` and `iat` are required: a token that never expires is refused, and so is one whose lifetime
 *   (`exp - iat`) exceeds AUTH_MAX_TOKEN_TTL. `iat` is required rather than guessed: without it the lifetime
 *   cannot be known, and capping `exp - now` instead would accept a far-future token once it got close enough.
 * - `nbf` (optional) and `iat` may lie up to CLOCK_SKEW_SECONDS ahead of this server's clock (issuers' clocks
 *   drift); further ahead, the token is refused. `exp` has no tolerance: expired means expired.
 * - A `crit` header names extensions the verifier must understand to accept the token; this service
 *   understands none, so any `crit` is refused (RFC 7515 §4.1.11).
 */
export const CLOCK_SKEW_SECONDS = 60;

export interface TokenRules {
  /** AUTH_MAX_TOKEN_TTL, in seconds: the longest `exp - iat` accepted. */
  maxTtlSeconds: number;
  skewSeconds: number;
}

/** The time claims of a token that passed `timeClaimsOf`. */
export interface TimeClaims {
  exp: number;
  iat: number;
  nbf: number | undefined;
}

/** A rule a token does not meet; the guard answers 401 with its message. */
export class TokenRefused extends Error {}

/** `undefined` when the header is acceptable (alg is checked by the verifier itself). */
export function headerProblem(header: Record<string, unknown>): string | undefined {
  if ('crit' in header) {
    const names = Array.isArray(header.crit) ? header.crit.map(String).join(', ') : JSON.stringify(header.crit);
    return `token header lists critical extensions (crit: ${names}) this service does not understand`;
  }
  return undefined;
}

/** Shape and lifetime of `exp`, `iat` and `nbf`; throws TokenRefused. Independent of the current time. */
export function timeClaimsOf(claims: { exp?: unknown; iat?: unknown; nbf?: unknown }, rules: TokenRules): TimeClaims {
  if (claims.exp === undefined) throw new TokenRefused('token has no expiry (exp): every token must expire');
  if (!isNumericDate(claims.exp)) throw new TokenRefused('token exp must be a time in seconds since 1970 (NumericDate)');
  if (claims.iat === undefined) {
    throw new TokenRefused(
      `token has no issue time (iat): it is required to check the token's lifetime against AUTH_MAX_TOKEN_TTL (${rules.maxTtlSeconds} s)`,
    );
  }
  if (!isNumericDate(claims.iat)) throw new TokenRefused('token iat must be a time in seconds since 1970 (NumericDate)');
  if (claims.nbf !== undefined && !isNumericDate(claims.nbf))
    throw new TokenRefused('token nbf must be a time in seconds since 1970 (NumericDate)');
  const lifetime = claims.exp - claims.iat;
  if (lifetime <= 0) throw new TokenRefused('token expires before it was issued (exp is not after iat)');
  if (lifetime > rules.maxTtlSeconds) {
    throw new TokenRefused(
      `token lifetime (exp - iat) is ${formatSeconds(lifetime)}; at most ${formatSeconds(rules.maxTtlSeconds)} is accepted (AUTH_MAX_TOKEN_TTL)`,
    );
  }
  return { exp: claims.exp, iat: claims.iat, nbf: claims.nbf as number | undefined };
}

/** Why a token with these time claims is not usable at `nowSeconds`, or `undefined` when it is. */
export function timeProblem(t: TimeClaims, nowSeconds: number, rules: TokenRules): string | undefined {
  const now = Math.floor(nowSeconds);
  if (now >= t.exp) return `token expired at ${isoOf(t.exp)}`;
  if (t.iat > now + rules.skewSeconds) {
    return `token issued in the future (iat ${isoOf(t.iat)}, more than ${rules.skewSeconds} s ahead of this server's clock)`;
  }
  if (t.nbf !== undefined && t.nbf > now + rules.skewSeconds) return `token not valid before ${isoOf(t.nbf)} (nbf)`;
  return undefined;
}

const isNumericDate = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isoOf = (seconds: number) => {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
};
