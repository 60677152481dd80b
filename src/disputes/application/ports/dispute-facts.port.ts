/**
 * Facts about other disputes that rules on this one need. Owned by `disputes`; the read side answers them
 * (the disputes read model's DisputeDirectory), caught up with the log as far as it can be within a bound.
 */
export interface RepeatedDefects {
  /** Earlier disputes on the same order line with the same defect code. */
  earlierSameDefect(orderId: string, productSku: string, defectCode: string): Promise<number>;
}

export interface CompensationHistory {
  /** The customer's compensated disputes since an ISO-8601 moment (the abuse window). */
  compensatedDisputesSince(customerId: string, since: string): Promise<number>;
}

export type DisputeFacts = RepeatedDefects & CompensationHistory;
export const DISPUTE_FACTS = Symbol('DISPUTE_FACTS');
