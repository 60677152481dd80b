import { Channel } from './dispute.types';
import { BreachRemedyType } from '../../sla/domain/breach-remedies';
import { Money } from '../../shared/money';

/**
 * Issue 14: what a confirmed breach owes the customer, as entitlements of their own (never compensations:
 * they block no stage and start no payment clock), and the investigation deadline of a detected breach.
 * Grouped here so dispute.events.ts only lists them.
 */
type Event<T extends string, D> = { type: T; data: D & { disputeId: string; at: string } };

export type BreachRemedyIssued = Event<
  'BreachRemedyIssued',
  {
    remedyId: string;
    breachId: string;
    remedy: BreachRemedyType;
    reason: string;
    /** Coupons: the percent off and the order amount it applies to (null when the order's amount is unknown). */
    coupon: { percent: number; appliesTo: Money | null } | null;
    /** Service upgrades: until when. */
    upgradeUntil: string | null;
    /** Apologies: the draft the agent sends through the customer's channel, explaining the cause. */
    apology: { channel: Channel; draft: string } | null;
    /** Who held the case when the breach happened (for the reports). */
    assignee: string | null;
    department: string | null;
    issuedBy: string;
  }
>;
export type ApologySent = Event<'ApologySent', { remedyId: string; breachId: string; channel: Channel; text: string; sentBy: string }>;
export type BreachRemedyDelivered = Event<
  'BreachRemedyDelivered',
  { remedyId: string; breachId: string; reference: string | null; deliveredBy: string }
>;
export type BreachRemedyRevoked = Event<'BreachRemedyRevoked', { remedyId: string; breachId: string; reason: string; revokedBy: string }>;
export type SlaInvestigationOverdue = Event<'SlaInvestigationOverdue', { breachId: string; dueAt: string }>;

export type BreachRemedyEvent = BreachRemedyIssued | ApologySent | BreachRemedyDelivered | BreachRemedyRevoked | SlaInvestigationOverdue;

export const BREACH_REMEDY_EVENT_SCHEMA_VERSION: Record<BreachRemedyEvent['type'], number> = {
  BreachRemedyIssued: 1,
  ApologySent: 1,
  BreachRemedyDelivered: 1,
  BreachRemedyRevoked: 1,
  SlaInvestigationOverdue: 1,
};
