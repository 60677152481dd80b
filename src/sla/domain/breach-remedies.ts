import { DateTime } from 'luxon';

/**
 * DOMAIN.md: what the customer gets for a confirmed first-response breach. One rules table, read by the
 * dispute decider (which issues them as entitlements) and by the what-if and the reports (which count and
 * value them): an apology, always; a 10% coupon for a delay up to 2 hours; the coupon and a 3-month free
 * service upgrade beyond. Remedies are entitlements, never payouts: they start no payment clock.
 */
export const BREACH_REMEDY_THRESHOLD_MS = 2 * 60 * 60 * 1000;
export const COUPON_PERCENT = 10;
export const SERVICE_UPGRADE_MONTHS = 3;

export type BreachRemedyType = 'apology' | 'coupon' | 'service_upgrade';
export const BREACH_REMEDY_TYPES: readonly BreachRemedyType[] = ['apology', 'coupon', 'service_upgrade'];

export interface BreachRemedy {
  /** Suffix of the remedy id (`<breachId>-<suffix>`), stable so a retry issues the same remedy. */
  suffix: string;
  type: BreachRemedyType;
  reason: string;
}

const RULES: readonly (BreachRemedy & { when: (delayMs: number) => boolean })[] = [
  { suffix: 'apology', type: 'apology', reason: 'apology for the late first response', when: () => true },
  { suffix: 'coupon', type: 'coupon', reason: `${COUPON_PERCENT}% discount coupon for the next purchase`, when: () => true },
  {
    suffix: 'upgrade',
    type: 'service_upgrade',
    reason: `${SERVICE_UPGRADE_MONTHS}-month free service upgrade`,
    when: (delayMs) => delayMs > BREACH_REMEDY_THRESHOLD_MS,
  },
];

/** The remedies a first response this late (in ms past its due time) brings. Policy-mandated. */
export function breachRemedies(delayMs: number): BreachRemedy[] {
  return RULES.filter((rule) => rule.when(delayMs)).map(({ suffix, type, reason }) => ({ suffix, type, reason }));
}

/** Until when a service upgrade issued at `issuedAt` runs. */
export const upgradeUntil = (issuedAt: string): string =>
  DateTime.fromISO(issuedAt, { zone: 'utc' }).plus({ months: SERVICE_UPGRADE_MONTHS }).toISO({ suppressMilliseconds: false })!;

/** What a coupon is worth on the order it applies to (minor units), 0 when the order amount is unknown. */
export const couponValue = (percent: number, orderAmount: number | null): number => Math.round(((orderAmount ?? 0) * percent) / 100);
