import { Category, DAY_MS, Remedy } from './dispute.types';

/** The policy template's problem kinds: windows differ for quality and non-quality problems. */
export type ProblemKind = 'quality' | 'non_quality' | 'misuse' | 'service';

export function problemKind(category: Category): ProblemKind {
  switch (category) {
    case 'quality_defect':
    case 'not_as_described':
    case 'wrong_item':
    case 'missing_items':
      return 'quality';
    case 'changed_mind':
      return 'non_quality';
    case 'misuse':
      return 'misuse';
    case 'delayed_shipment':
    case 'logistics':
    case 'price_drop':
    case 'wrong_address':
    case 'out_of_stock':
    case 'beyond_control':
      return 'service';
  }
}

export interface EligibilityFacts {
  category: Category;
  purchasedAt: string;
  deliveredAt: string | null;
  proofOfPurchase: boolean;
  itemIntact: boolean | null;
  repeatDefect: boolean;
}

export type Eligibility =
  { outcome: 'eligible'; rule: string } | { outcome: 'goodwill'; rule: string } | { outcome: 'refused'; rule: string };

/** Windows in days, counted from delivery, else purchase (DOMAIN.md "Eligibility and remedies"). */
export const WINDOWS = { returnOrRefund: 7, repairOrExchange: 30 } as const;

/**
 * Whether a remedy is within the policy template at `at`. Outside every window a remedy is still
 * possible as goodwill (which always needs supervisor approval); misuse gets no remedy at all.
 */
export function assessRemedy(facts: EligibilityFacts, remedy: Remedy, at: string): Eligibility {
  const kind = problemKind(facts.category);
  if (kind === 'misuse') {
    return { outcome: 'refused', rule: "damage caused by customer misuse is the customer's responsibility: reject the dispute" };
  }
  if (!isWindowed(remedy) || kind === 'service') return { outcome: 'eligible', rule: 'not bound to a return window' };
  if (!facts.proofOfPurchase) return { outcome: 'goodwill', rule: 'no proof of purchase' };
  if (kind === 'quality' && facts.repeatDefect && remedy === 'refund') {
    return { outcome: 'eligible', rule: 'same defect a second time: full refund at any time' };
  }
  const days = (Date.parse(at) - Date.parse(facts.deliveredAt ?? facts.purchasedAt)) / DAY_MS;
  const shortRemedy = remedy === 'return' || remedy === 'refund';
  if (kind === 'non_quality') {
    if (facts.itemIntact !== true) return { outcome: 'goodwill', rule: 'non-quality remedy needs the item intact' };
    if (remedy === 'repair') return { outcome: 'goodwill', rule: 'repair is not a non-quality remedy' };
  }
  const window = shortRemedy ? WINDOWS.returnOrRefund : WINDOWS.repairOrExchange;
  if (days <= window) return { outcome: 'eligible', rule: `${remedy} within ${window} days` };
  return { outcome: 'goodwill', rule: `${remedy} window of ${window} days passed (${Math.floor(days)} days)` };
}

function isWindowed(remedy: Remedy): boolean {
  switch (remedy) {
    case 'refund':
    case 'return':
    case 'exchange':
    case 'repair':
      return true;
    case 'compensation':
    case 'coupon':
    case 'service_upgrade':
    case 'gift':
    case 'reship':
    case 'apology':
      return false;
  }
}
