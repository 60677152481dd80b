import { CostSettings } from './report-kit';

/**
 * REPORT_COUPON_PERCENT (default 10: the SLA remedy's "10% discount coupon") and REPORT_SERVICE_UPGRADE_COST (minor
 * units, default 3000 = 30 CNY a three-month upgrade): how the cost report prices coupons with no percentage in their
 * reason and service upgrades. Read when the report runs; a bad value is a clear error naming the variable.
 */
export function costSettingsFrom(env: NodeJS.ProcessEnv = process.env): CostSettings {
  const couponPercent = Number(env.REPORT_COUPON_PERCENT ?? 10);
  if (!Number.isFinite(couponPercent) || couponPercent < 0 || couponPercent > 100)
    throw new Error(`REPORT_COUPON_PERCENT must be a number from 0 to 100, got "${env.REPORT_COUPON_PERCENT}"`);
  const serviceUpgradeCost = Number(env.REPORT_SERVICE_UPGRADE_COST ?? 3000);
  if (!Number.isInteger(serviceUpgradeCost) || serviceUpgradeCost < 0)
    throw new Error(`REPORT_SERVICE_UPGRADE_COST must be a whole number of minor units, got "${env.REPORT_SERVICE_UPGRADE_COST}"`);
  return { couponPercent, serviceUpgradeCost };
}
