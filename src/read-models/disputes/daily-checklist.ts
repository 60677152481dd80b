import { DisputeState, disputeStatus, openInternalEscalation, pendingForum } from '../../disputes/domain/dispute.state';

/** The agent's daily check list (DOMAIN.md "Projections"): what needs chasing today. */
export const CHECKLIST_ITEMS = [
  'abnormal_logistics',
  'pending_return_or_refund',
  'waiting_on_customer',
  'waiting_on_third_party',
  // Issue 15: an agent asked for a supervisor (POST escalate-internally); on the department queue until answered.
  'needs_supervisor',
] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];

const LOGISTICS = new Set(['logistics', 'delayed_shipment', 'wrong_address', 'missing_items']);

export function dailyChecklist(state: DisputeState): ChecklistItem[] {
  const status = disputeStatus(state);
  if (status !== 'open' && status !== 'awaiting_payment') return [];
  const items: ChecklistItem[] = [];
  if (LOGISTICS.has(state.filing.category)) items.push('abnormal_logistics');
  const unpaidGoodsOrMoney = state.compensations.some(
    (c) =>
      (c.status === 'approved' || c.status === 'pending_approval') && (c.type === 'return' || c.type === 'refund' || c.type === 'exchange'),
  );
  if (unpaidGoodsOrMoney) items.push('pending_return_or_refund');
  const open = state.openOfferIndex === null ? null : state.offers[state.openOfferIndex];
  if (open?.party === 'merchant') items.push('waiting_on_customer');
  if (pendingForum(state)) items.push('waiting_on_third_party');
  if (openInternalEscalation(state)) items.push('needs_supervisor');
  return items;
}
