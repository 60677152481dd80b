import Database from 'better-sqlite3';
import { StoredEvent } from '../event-store/domain/event-store.port';
import { DisputeEvent, disputeStatus, evolve, DisputeState } from '../disputes/domain/dispute.events';
import { SqliteProjection } from './projection-runner';

/**
 * The dispute directory: one row per dispute for the list route, plus the cross-dispute facts that rules
 * need (earlier disputes with the same defect on an order line; a customer's compensated disputes).
 * Each row keeps the folded state so the row can be evolved event by event.
 */
export class DisputeDirectoryProjection implements SqliteProjection {
  readonly name = 'dispute-directory';

  migrate(db: Database.Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS dispute_directory (
        dispute_id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        order_id TEXT NOT NULL,
        product_sku TEXT NOT NULL,
        defect_code TEXT,
        stage TEXT NOT NULL,
        status TEXT NOT NULL,
        assignee TEXT,
        department TEXT,
        filed_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL,
        state TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS dispute_directory_order_line ON dispute_directory (order_id, product_sku, defect_code);
      CREATE INDEX IF NOT EXISTS dispute_directory_customer ON dispute_directory (customer_id, filed_at);
      CREATE INDEX IF NOT EXISTS dispute_directory_filed ON dispute_directory (filed_at, dispute_id);
      CREATE TABLE IF NOT EXISTS customer_compensations (
        dispute_id TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        compensated_at TEXT NOT NULL,
        PRIMARY KEY (dispute_id, compensated_at)
      );
      CREATE INDEX IF NOT EXISTS customer_compensations_customer ON customer_compensations (customer_id, compensated_at);
    `);
  }

  apply(db: Database.Database, stored: StoredEvent): void {
    if (!stored.streamId.startsWith('dispute-')) return;
    const event = { type: stored.type, data: stored.data } as DisputeEvent;
    const disputeId = stored.data.disputeId as string;
    const row = db.prepare('SELECT state FROM dispute_directory WHERE dispute_id = ?').get(disputeId) as { state: string } | undefined;
    const state = evolve(row ? (JSON.parse(row.state) as DisputeState) : null, event);
    db.prepare(
      `INSERT INTO dispute_directory (dispute_id, customer_id, order_id, product_sku, defect_code, stage, status, assignee, department, filed_at, updated_at, version, state)
       VALUES (@id, @customerId, @orderId, @productSku, @defectCode, @stage, @status, @assignee, @department, @filedAt, @updatedAt, @version, @state)
       ON CONFLICT(dispute_id) DO UPDATE SET stage = excluded.stage, status = excluded.status, assignee = excluded.assignee,
         department = excluded.department, updated_at = excluded.updated_at, version = excluded.version, state = excluded.state`,
    ).run({
      id: state.id,
      customerId: state.filing.customerId,
      orderId: state.filing.orderId,
      productSku: state.filing.productSku,
      defectCode: state.filing.defectCode,
      stage: state.stage,
      status: disputeStatus(state),
      assignee: state.assignee,
      department: state.department,
      filedAt: state.filedAt,
      updatedAt: state.updatedAt,
      version: stored.revision + 1,
      state: JSON.stringify(state),
    });
    if (event.type === 'DisputeCompensated') {
      db.prepare('INSERT OR IGNORE INTO customer_compensations (dispute_id, customer_id, compensated_at) VALUES (?, ?, ?)').run(
        disputeId,
        event.data.customerId,
        event.data.at,
      );
    }
  }
}
