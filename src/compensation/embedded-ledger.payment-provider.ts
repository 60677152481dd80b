import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PaymentProvider, Payout, PayoutRequest } from './payment-provider.port';

/**
 * The embedded payment provider: a local ledger of payouts. The compensation id is the primary key, so a
 * retry after a crash between the payout and the event append finds the first payout instead of paying again.
 */
export class EmbeddedLedgerPaymentProvider implements PaymentProvider {
  private readonly db: Database.Database;

  constructor(dataDir: string | null) {
    let file = ':memory:';
    if (dataDir !== null) {
      mkdirSync(dataDir, { recursive: true });
      file = join(dataDir, 'ledger.db');
    }
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL'); // money: survive power loss
    this.db.exec(`CREATE TABLE IF NOT EXISTS payouts (
      compensation_id TEXT PRIMARY KEY,
      payout_id TEXT NOT NULL UNIQUE,
      dispute_id TEXT NOT NULL,
      amount INTEGER NOT NULL,
      currency TEXT NOT NULL,
      payment_reference TEXT,
      paid_at TEXT NOT NULL
    )`);
  }

  async pay(request: PayoutRequest): Promise<Payout> {
    const insert = this.db.prepare(
      `INSERT INTO payouts (compensation_id, payout_id, dispute_id, amount, currency, payment_reference, paid_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(compensation_id) DO NOTHING`,
    );
    insert.run(
      request.compensationId,
      randomUUID(),
      request.disputeId,
      request.amount.amount,
      request.amount.currency,
      request.paymentReference,
      new Date().toISOString(),
    );
    const row = this.db.prepare('SELECT * FROM payouts WHERE compensation_id = ?').get(request.compensationId) as {
      payout_id: string;
      amount: number;
      currency: 'CNY';
      paid_at: string;
    };
    return {
      payoutId: row.payout_id,
      compensationId: request.compensationId,
      amount: { amount: row.amount, currency: row.currency },
      paidAt: row.paid_at,
    };
  }

  /** Every payout, for reconciliation and tests. */
  payouts(): { compensationId: string; payoutId: string; amount: number }[] {
    return (
      this.db.prepare('SELECT compensation_id, payout_id, amount FROM payouts ORDER BY paid_at').all() as {
        compensation_id: string;
        payout_id: string;
        amount: number;
      }[]
    ).map((r) => ({ compensationId: r.compensation_id, payoutId: r.payout_id, amount: r.amount }));
  }

  close(): void {
    this.db.close();
  }
}
