import { Command } from '../../domain/command';

export type PayCompensation = Command<
  'PayCompensation',
  {
    compensationId: string;
    paymentReference?: string;
    /** The payment provider's receipt, obtained by the application before deciding (null for non-money remedies). */
    payout: { payoutId: string } | null;
  }
>;

/** What the caller sends; the rest is looked up by the application before deciding. */
export type PayCompensationRequest = Omit<PayCompensation['data'], 'payout'>;
