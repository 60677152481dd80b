/** What-if replays (README "Configuration"): bounded work per request, issue #12. */
export interface WhatIfConfig {
  /** WHAT_IF_TIME_BUDGET_MS: a replay still running after this long is stopped and answered 503. */
  timeBudgetMs: number;
  /** WHAT_IF_MAX_CONCURRENT: replays running at once per instance; one more is answered 503 with Retry-After. */
  maxConcurrent: number;
}

export const DEFAULT_WHAT_IF_TIME_BUDGET_MS = 10_000;
export const DEFAULT_WHAT_IF_MAX_CONCURRENT = 2;

export function loadWhatIfConfig(env: NodeJS.ProcessEnv, problems: string[]): WhatIfConfig {
  const timeBudgetMs = Number(env.WHAT_IF_TIME_BUDGET_MS ?? DEFAULT_WHAT_IF_TIME_BUDGET_MS);
  if (!Number.isInteger(timeBudgetMs) || timeBudgetMs < 1 || timeBudgetMs > 600_000) {
    problems.push(`WHAT_IF_TIME_BUDGET_MS must be a whole number of milliseconds from 1 to 600000, got "${env.WHAT_IF_TIME_BUDGET_MS}"`);
  }
  const maxConcurrent = Number(env.WHAT_IF_MAX_CONCURRENT ?? DEFAULT_WHAT_IF_MAX_CONCURRENT);
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1 || maxConcurrent > 64) {
    problems.push(`WHAT_IF_MAX_CONCURRENT must be a whole number from 1 to 64, got "${env.WHAT_IF_MAX_CONCURRENT}"`);
  }
  return { timeBudgetMs, maxConcurrent };
}
