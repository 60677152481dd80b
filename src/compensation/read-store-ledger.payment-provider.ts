import { randomUUID } from 'node:crypto';
import { Kysely } from 'kysely';
import { PaymentProvider, Payout, PayoutRequest } from './payment-provider.port';

/**
 * The ledger in the shared read store (PostgreSQL in production), so every instance sees every payout: the
 * compensation id is the primary key, and the first insert wins whichever instance retries.
 */
export class ReadStoreLedgerPaymentProvider implements PaymentProvider {
  constructor(private readonly db: Kysely<any>) {}

  async pay(request: PayoutRequest): Promise<Payout> {
    await this.db
      .insertInto('payouts')
      .values({
        compensation_id: request.compensationId,
        payout_id: randomUUID(),
        dispute_id: request.disputeId,
        amount: request.amount.amount,
        currency: request.amount.currency,
        payment_reference: request.paymentReference,
        paid_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.column('compensation_id').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('payouts')
      .selectAll()
      .where('compensation_id', '=', request.compensationId)
      .executeTakeFirstOrThrow();
    return {
      payoutId: row.payout_id,
      compensationId: request.compensationId,
      amount: { amount: Number(row.amount), currency: row.currency },
      paidAt: row.paid_at,
    };
  }
}
