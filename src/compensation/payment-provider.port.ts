import { Money } from '../shared/money';

export interface PayoutRequest {
  /** The idempotency key of the payout: one compensation is paid at most once, whatever retries happen. */
  compensationId: string;
  disputeId: string;
  amount: Money;
  paymentReference: string | null;
}

export interface Payout {
  payoutId: string;
  compensationId: string;
  amount: Money;
  paidAt: string;
}

/** The payment provider port. `pay` must be idempotent per compensationId: a repeat returns the first payout. */
export interface PaymentProvider {
  pay(request: PayoutRequest): Promise<Payout>;
}

export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');
