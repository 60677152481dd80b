/** Vocabulary of the dispute domain (DOMAIN.md). String unions so `switch` statements stay exhaustive. */

export const CHANNELS = ['phone', 'email', 'chat', 'web'] as const;
export type Channel = (typeof CHANNELS)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Complaint categories of the handling playbook, plus the policy template's problem kinds. */
export const CATEGORIES = [
  'quality_defect',
  'not_as_described',
  'wrong_item',
  'missing_items',
  'delayed_shipment',
  'logistics',
  'price_drop',
  'wrong_address',
  'out_of_stock',
  'beyond_control',
  'changed_mind',
  'misuse',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const REMEDIES = [
  'refund',
  'return',
  'exchange',
  'repair',
  'compensation',
  'coupon',
  'service_upgrade',
  'gift',
  'reship',
  'apology',
] as const;
export type Remedy = (typeof REMEDIES)[number];

/** Remedies that move money and therefore need an amount and count against authority limits. */
export const MONEY_REMEDIES: readonly Remedy[] = ['refund', 'compensation'];

export const FORUMS = ['mediation', 'arbitration', 'litigation'] as const;
export type Forum = (typeof FORUMS)[number];

export const OUTCOME_RESULTS = ['settled', 'failed', 'award', 'judgment', 'dismissed'] as const;
export type OutcomeResult = (typeof OUTCOME_RESULTS)[number];

export const NEGOTIATION_ACTIONS = ['offer', 'counter', 'accept', 'reject'] as const;
export type NegotiationAction = (typeof NEGOTIATION_ACTIONS)[number];

export const PARTIES = ['merchant', 'customer'] as const;
export type Party = (typeof PARTIES)[number];

export const STAGES = ['filed', 'acknowledged', 'negotiation', 'mediation', 'arbitration', 'litigation', 'compensated', 'closed'] as const;
export type Stage = (typeof STAGES)[number];

export const STATUSES = ['open', 'awaiting_payment', 'compensated', 'closed', 'rejected', 'withdrawn'] as const;
export type Status = (typeof STATUSES)[number];

export type CompensationStatus = 'pending_approval' | 'approved' | 'paid' | 'declined';

/** Where an agreed or proposed compensation came from. */
export type CompensationBasis = 'proposal' | 'negotiation' | 'mediation' | 'arbitration' | 'litigation' | 'sla_breach';

export const DAY_MS = 24 * 60 * 60 * 1000;
