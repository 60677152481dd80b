/**
 * DOMAIN.md: what the customer gets for a confirmed first-response breach. One rules table, read by the
 * dispute decider (which grants them) and by the what-if (which counts them): an apology, always; a 10%
 * coupon for a delay up to 2 hours; the coupon and a 3-month free service upgrade beyond.
 */
export const BREACH_REMEDY_THRESHOLD_MS = 2 * 60 * 60 * 1000;

export type BreachRemedyType = 'apology' | 'coupon' | 'service_upgrade';

export interface BreachRemedy {
  /** Suffix of the compensation id (`<breachId>-<suffix>`), stable so a retry grants the same remedy. */
  suffix: string;
  type: BreachRemedyType;
  reason: string;
}

const RULES: readonly (BreachRemedy & { when: (delayMs: number) => boolean })[] = [
  { suffix: 'apology', type: 'apology', reason: 'apology for the late first response', when: () => true },
  { suffix: 'coupon', type: 'coupon', reason: '10% discount coupon for the next purchase', when: () => true },
  {
    suffix: 'upgrade',
    type: 'service_upgrade',
    reason: '3-month free service upgrade',
    when: (delayMs) => delayMs > BREACH_REMEDY_THRESHOLD_MS,
  },
];

/** The remedies a first response this late (in ms past its due time) brings. Policy-mandated. */
export function breachRemedies(delayMs: number): BreachRemedy[] {
  return RULES.filter((rule) => rule.when(delayMs)).map(({ suffix, type, reason }) => ({ suffix, type, reason }));
}
