import { Category } from './dispute.types';

/** The handling handbook's suggested first remedies per complaint category, shown to agents. */
export const PLAYBOOK: Record<Category, string> = {
  quality_defect: 'return or exchange; partial refund if the customer keeps the item',
  not_as_described: 'take responsibility, exchange, add a gift',
  wrong_item: 'take responsibility, exchange, add a gift',
  missing_items: 'ship the missing part',
  delayed_shipment: 'apologise, agree a delivery date, coupon for the next order',
  logistics: 'trace the parcel, re-ship if lost',
  price_drop: 'refund the difference or give a coupon',
  wrong_address: 're-ship to the right address',
  out_of_stock: 'refund, or wait with a coupon',
  beyond_control: 'apologise, small goodwill; request platform intervention if abusive',
  changed_mind: 'no-reason return within 7 days if the item is intact',
  misuse: "reject: damage caused by misuse is the customer's responsibility",
};

export function suggestedRemedy(category: Category, repeatDefect: boolean): string {
  if (repeatDefect) return "full refund at the customer's choice: the same defect came back";
  return PLAYBOOK[category];
}
