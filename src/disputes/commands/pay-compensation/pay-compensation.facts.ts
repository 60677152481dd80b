import { ServiceUnavailableException } from '@nestjs/common';
import { LookUpFacts } from '../../application/command-facts';
import { assertPayable, needsPayout } from '../../domain/compensation';

/**
 * The payout, obtained before deciding. The provider is idempotent per compensation id, so a retry after a
 * crash between the payout and the append gets the first payout back and the compensation is never paid twice.
 */
export const payCompensationFacts: LookUpFacts<'PayCompensation'> = async (request, { disputeId, loaded, context }, sources) => {
  const compensation = assertPayable(loaded.state, { type: 'PayCompensation', data: { ...request, payout: null }, context });
  if (!needsPayout(compensation)) return { ...request, payout: null };
  let payout;
  try {
    payout = await sources.payments.pay({
      compensationId: compensation.compensationId,
      disputeId,
      amount: compensation.amount!,
      paymentReference: request.paymentReference ?? null,
    });
  } catch (error) {
    throw new ServiceUnavailableException(
      `the payment provider is unavailable (${(error as Error).message}); nothing was paid or recorded, retry later`,
    );
  }
  return { ...request, payout: { payoutId: payout.payoutId } };
};
