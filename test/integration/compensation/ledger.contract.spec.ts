import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLedgerPaymentProvider } from '../../../src/compensation/embedded-ledger.payment-provider';
import { PaymentProvider } from '../../../src/compensation/payment-provider.port';
import { ReadStoreLedgerPaymentProvider } from '../../../src/compensation/read-store-ledger.payment-provider';
import { postgresReadStore, TestReadStore } from '../../support/read-stores';
import { removeDir } from '../../support/test-app';

/** Every payment provider pays a compensation at most once, whatever retries or instances ask again. */
function ledgerContract(name: string, create: () => Promise<{ providers: PaymentProvider[]; cleanup(): Promise<void> }>) {
  describe(`payment provider contract: ${name}`, () => {
    it('returns the first payout to every retry, also concurrent ones and from another instance', async () => {
      const { providers, cleanup } = await create();
      try {
        const request = {
          compensationId: `k-${Date.now()}`,
          disputeId: 'd-1',
          amount: { amount: 15_000, currency: 'CNY' as const },
          paymentReference: null,
        };
        const payouts = await Promise.all([...providers, ...providers].map((p) => p.pay(request)));
        expect(new Set(payouts.map((p) => p.payoutId)).size).toBe(1);
        expect(payouts[0]).toMatchObject({ compensationId: request.compensationId, amount: { amount: 15_000, currency: 'CNY' } });
        const other = await providers[0].pay({ ...request, compensationId: `${request.compensationId}-2` });
        expect(other.payoutId).not.toBe(payouts[0].payoutId);
      } finally {
        await cleanup();
      }
    });
  });
}

ledgerContract('embedded ledger file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-ledger-'));
  const a = new EmbeddedLedgerPaymentProvider(dir);
  const b = new EmbeddedLedgerPaymentProvider(dir); // a second process on the same file
  return { providers: [a, b], cleanup: async () => (a.close(), b.close(), removeDir(dir)) };
});

ledgerContract('PostgreSQL ledger shared by two instances', async () => {
  const first: TestReadStore = await postgresReadStore();
  const second = await postgresReadStore({ schema: first.schema, migrate: false });
  return {
    providers: [new ReadStoreLedgerPaymentProvider(first.store.db), new ReadStoreLedgerPaymentProvider(second.store.db)],
    cleanup: async () => {
      await second.store.close();
      await first.cleanup();
    },
  };
});
