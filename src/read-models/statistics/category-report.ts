import { Category, Remedy } from '../../disputes/domain/dispute.types';
import { dimensionOf, Groups, increment, rate, StatReport } from './report-kit';

/**
 * The playbook's suggested remedies (src/disputes/domain/playbook.ts) as remedy types, to compare with the remedy
 * given: a dispute "followed the playbook" when a compensation not declined has one of its category's types.
 */
export const PLAYBOOK_REMEDIES: Record<Category, readonly Remedy[]> = {
  quality_defect: ['return', 'exchange', 'refund'],
  not_as_described: ['exchange', 'gift'],
  wrong_item: ['exchange', 'gift'],
  missing_items: ['reship'],
  delayed_shipment: ['apology', 'coupon'],
  logistics: ['reship'],
  price_drop: ['refund', 'coupon'],
  wrong_address: ['reship'],
  out_of_stock: ['refund', 'coupon'],
  beyond_control: ['apology', 'compensation'],
  changed_mind: ['return'],
  misuse: [],
};

interface Acc {
  disputes: number;
  reopened: number;
  escalated: number;
  compensated: number;
  followedPlaybook: number;
  breaches: number;
  exemptedBreaches: number;
  requested: Record<string, number>;
  given: Record<string, number>;
}

/** By category (or department, channel): remedies requested and given vs the playbook, reopen and escalation rates. */
export const categoryReport: StatReport<Acc, object> = {
  name: 'categories',
  description:
    'by category (or department, channel): disputes, remedies requested and given against the playbook, reopen and escalation rates, SLA breaches and exemptions',
  groupBys: ['category', 'department', 'channel'],
  reads: [
    'DisputeFiled',
    'DisputeAssigned',
    'DisputeReopened',
    'DisputeEscalated',
    'CompensationProposed',
    'CompensationDeclined',
    'SlaBreached',
    'SlaBreachExempted',
  ],
  init: () => ({
    disputes: 0,
    reopened: 0,
    escalated: 0,
    compensated: 0,
    followedPlaybook: 0,
    breaches: 0,
    exemptedBreaches: 0,
    requested: {},
    given: {},
  }),
  add(groups: Groups<Acc>, { state }, params) {
    const acc = groups.at(dimensionOf(state, params.groupBy), state.id);
    acc.disputes++;
    if (state.reopenings > 0) acc.reopened++;
    if (state.forums.length > 0) acc.escalated++;
    increment(acc.requested, state.filing.requestedRemedy);
    acc.breaches += state.breaches.length;
    acc.exemptedBreaches += state.breaches.filter((b) => b.status === 'exempted').length;
    const given = state.compensations.filter((c) => c.status !== 'declined').map((c) => c.type);
    for (const type of given) increment(acc.given, type);
    if (given.length > 0) acc.compensated++;
    if (given.some((type) => PLAYBOOK_REMEDIES[state.filing.category].includes(type))) acc.followedPlaybook++;
  },
  row: (acc, key, params) => ({
    ...(params.groupBy === 'category' ? { playbookRemedies: PLAYBOOK_REMEDIES[key as Category] ?? [] } : {}),
    reopened: acc.reopened,
    reopenRate: rate(acc.reopened, acc.disputes),
    escalated: acc.escalated,
    escalationRate: rate(acc.escalated, acc.disputes),
    requestedRemedies: acc.requested,
    givenRemedies: acc.given,
    compensated: acc.compensated,
    followedPlaybook: acc.followedPlaybook,
    followedPlaybookRate: rate(acc.followedPlaybook, acc.compensated),
    breaches: acc.breaches,
    exemptedBreaches: acc.exemptedBreaches,
  }),
};
