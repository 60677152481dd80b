import { Compensation, DisputeState } from '../../disputes/domain/dispute.state';
import { dimensionOf, Groups, increment, StatReport, CostSettings } from './report-kit';

/**
 * What one compensation costs (minor units), or null when it cannot be priced. Money remedies cost their amount;
 * a coupon costs its percentage (from its reason, e.g. "10% discount coupon", else the configured default) of the
 * order amount (the amount claimed at filing: the events carry no order total); a service upgrade the configured
 * unit cost; other remedies their amount when one was given, else nothing known.
 */
export function costOf(c: Compensation, state: DisputeState, settings: CostSettings): number | null {
  if (c.amount !== null && c.type !== 'coupon') return c.amount.amount;
  switch (c.type) {
    case 'coupon': {
      if (c.amount !== null) return c.amount.amount;
      const order = state.filing.amountClaimed?.amount;
      if (order === undefined) return null;
      const named = /(\d+(?:\.\d+)?)\s*%/.exec(c.reason);
      const percent = named ? Number(named[1]) : settings.couponPercent;
      return Math.round((order * percent) / 100);
    }
    case 'service_upgrade':
      return settings.serviceUpgradeCost;
    case 'apology':
      return 0;
    default:
      return null;
  }
}

interface Acc {
  count: number;
  cost: number;
  unpriced: number;
  byType: Record<string, number>;
}

/** Cost of compensation approved or paid, by type, category, department or month (of payment, else approval). */
export const costReport: StatReport<Acc, object> = {
  name: 'costs',
  description:
    'cost of compensation approved or paid (minor units): money as paid, coupons as percent × order amount, service upgrades at a unit cost; by type, category, department or month',
  groupBys: ['type', 'category', 'department', 'month'],
  reads: ['DisputeFiled', 'DisputeAssigned', 'CompensationProposed', 'CompensationApproved', 'CompensationPaid', 'CompensationDeclined'],
  init: () => ({ count: 0, cost: 0, unpriced: 0, byType: {} }),
  add(groups: Groups<Acc>, { state }, params) {
    for (const c of state.compensations) {
      if (c.status !== 'approved' && c.status !== 'paid') continue;
      const key =
        params.groupBy === 'type'
          ? c.type
          : params.groupBy === 'month'
            ? (c.paidAt ?? c.approvedAt ?? c.proposedAt).slice(0, 7)
            : dimensionOf(state, params.groupBy);
      const acc = groups.at(key, state.id);
      acc.count++;
      const cost = costOf(c, state, params.costs);
      if (cost === null) acc.unpriced++;
      else {
        acc.cost += cost;
        increment(acc.byType, c.type, cost);
      }
    }
  },
  row: (acc) => ({ count: acc.count, cost: { amount: acc.cost, currency: 'CNY' }, unpriced: acc.unpriced, costByType: acc.byType }),
};
