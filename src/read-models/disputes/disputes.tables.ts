import { Kysely } from 'kysely';
import { TableNames } from '../../read-side/engine/projection';

/**
 * The disputes read model's tables: one row per dispute (list, queues, funnel), its compensations (cost
 * reports), each customer's compensated disputes (abuse control), and the SLA deadlines and breaches the
 * breach scheduler and the SLA reports read. Portable between SQLite and PostgreSQL: times are ISO-8601 UTC
 * text, documents JSON text.
 */
export type DisputesTable = 'disputes' | 'customer_compensations' | 'compensations' | 'sla_deadlines' | 'sla_breaches';
export const DISPUTES_TABLES = ['disputes', 'customer_compensations', 'compensations', 'sla_deadlines', 'sla_breaches'] as const;

/**
 * Read-store migrations that drop these tables and rebuild them from the log (one per incompatible change),
 * numbered in the read store's one sequence (src/read-side/store/migrations.ts): never renamed or removed.
 */
export const DISPUTES_REBUILD_MIGRATIONS = [
  // SLA deadlines, breaches and response times.
  '003_disputes_read_model_v2',
  // Queue due times from the same clocks as the breach scheduler (peak windows, reopenings).
  '005_disputes_due_from_sla_clocks',
] as const;

export interface DisputeRowTable {
  dispute_id: string;
  customer_id: string;
  order_id: string;
  product_sku: string;
  defect_code: string | null;
  channel: string;
  category: string;
  priority: string;
  priority_rank: number;
  stage: string;
  status: string;
  assignee: string | null;
  department: string | null;
  filed_at: string;
  updated_at: string;
  version: number;
  /** The clock the queue orders by: first_response, payment, resolution, or null when nothing runs. */
  due_kind: string | null;
  due_at: string | null;
  at_risk_at: string | null;
  /** Daily check-list flags, JSON array of strings. */
  checklist: string;
  suggested_remedy: string;
  acknowledged_at: string | null;
  negotiated_at: string | null;
  mediated_at: string | null;
  arbitrated_at: string | null;
  litigated_at: string | null;
  compensated_at: string | null;
  closed_at: string | null;
  rejected_at: string | null;
  withdrawn_at: string | null;
  resolved_at: string | null;
  /** Seconds from filing to the first response (first cycle), for response-time reports. */
  first_response_seconds: number | null;
  /** The folded dispute state (JSON), so the next event can evolve it. */
  state: string;
}

export interface CustomerCompensationTable {
  dispute_id: string;
  customer_id: string;
  compensated_at: string;
}

export interface CompensationRowTable {
  compensation_id: string;
  dispute_id: string;
  customer_id: string;
  type: string;
  category: string;
  department: string | null;
  basis: string;
  amount: number;
  currency: string;
  status: string;
  proposed_at: string;
  approved_at: string | null;
  paid_at: string | null;
}

export interface SlaDeadlineTable {
  dispute_id: string;
  clock_key: string;
  kind: string;
  due_at: string;
}

export interface SlaBreachTable {
  breach_id: string;
  dispute_id: string;
  kind: string;
  clock_key: string;
  channel: string;
  category: string;
  assignee: string | null;
  department: string | null;
  due_at: string;
  detected_at: string;
  status: string;
  source: string;
}

export interface DisputesSchema {
  disputes: DisputeRowTable;
  customer_compensations: CustomerCompensationTable;
  compensations: CompensationRowTable;
  sla_deadlines: SlaDeadlineTable;
  sla_breaches: SlaBreachTable;
}

export async function createDisputesTables(
  db: Kysely<any>,
  n: TableNames<DisputesTable>,
  options: { indexes?: boolean } = {},
): Promise<void> {
  const text = 'text';
  await db.schema
    .createTable(n.disputes)
    .ifNotExists()
    .addColumn('dispute_id', text, (c) => c.primaryKey())
    .addColumn('customer_id', text, (c) => c.notNull())
    .addColumn('order_id', text, (c) => c.notNull())
    .addColumn('product_sku', text, (c) => c.notNull())
    .addColumn('defect_code', text)
    .addColumn('channel', text, (c) => c.notNull())
    .addColumn('category', text, (c) => c.notNull())
    .addColumn('priority', text, (c) => c.notNull())
    .addColumn('priority_rank', 'integer', (c) => c.notNull())
    .addColumn('stage', text, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('assignee', text)
    .addColumn('department', text)
    .addColumn('filed_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('due_kind', text)
    .addColumn('due_at', text)
    .addColumn('at_risk_at', text)
    .addColumn('checklist', text, (c) => c.notNull())
    .addColumn('suggested_remedy', text, (c) => c.notNull())
    .addColumn('acknowledged_at', text)
    .addColumn('negotiated_at', text)
    .addColumn('mediated_at', text)
    .addColumn('arbitrated_at', text)
    .addColumn('litigated_at', text)
    .addColumn('compensated_at', text)
    .addColumn('closed_at', text)
    .addColumn('rejected_at', text)
    .addColumn('withdrawn_at', text)
    .addColumn('resolved_at', text)
    .addColumn('first_response_seconds', 'integer')
    .addColumn('state', text, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable(n.customer_compensations)
    .ifNotExists()
    .addColumn('dispute_id', text, (c) => c.notNull())
    .addColumn('customer_id', text, (c) => c.notNull())
    .addColumn('compensated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint(`${n.customer_compensations}_pk`, ['dispute_id', 'compensated_at'])
    .execute();
  await db.schema
    .createTable(n.compensations)
    .ifNotExists()
    .addColumn('compensation_id', text, (c) => c.primaryKey())
    .addColumn('dispute_id', text, (c) => c.notNull())
    .addColumn('customer_id', text, (c) => c.notNull())
    .addColumn('type', text, (c) => c.notNull())
    .addColumn('category', text, (c) => c.notNull())
    .addColumn('department', text)
    .addColumn('basis', text, (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', text, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('proposed_at', text, (c) => c.notNull())
    .addColumn('approved_at', text)
    .addColumn('paid_at', text)
    .execute();
  await db.schema
    .createTable(n.sla_deadlines)
    .ifNotExists()
    .addColumn('dispute_id', text, (c) => c.notNull())
    .addColumn('clock_key', text, (c) => c.notNull())
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('due_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint(`${n.sla_deadlines}_pk`, ['dispute_id', 'clock_key'])
    .execute();
  await db.schema
    .createTable(n.sla_breaches)
    .ifNotExists()
    .addColumn('breach_id', text, (c) => c.primaryKey())
    .addColumn('dispute_id', text, (c) => c.notNull())
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('clock_key', text, (c) => c.notNull())
    .addColumn('channel', text, (c) => c.notNull())
    .addColumn('category', text, (c) => c.notNull())
    .addColumn('assignee', text)
    .addColumn('department', text)
    .addColumn('due_at', text, (c) => c.notNull())
    .addColumn('detected_at', text, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('source', text, (c) => c.notNull())
    .execute();
  if (options.indexes !== false) await createDisputesIndexes(db, n);
}

/** The secondary indexes, built after a rebuild's bulk load. */
export async function createDisputesIndexes(db: Kysely<any>, n: TableNames<DisputesTable>): Promise<void> {
  const index = async (table: string, suffix: string, columns: string[]) =>
    db.schema.createIndex(`${table}_${suffix}`).ifNotExists().on(table).columns(columns).execute();
  await index(n.disputes, 'order_line', ['order_id', 'product_sku', 'defect_code']);
  await index(n.disputes, 'customer', ['customer_id', 'filed_at']);
  await index(n.disputes, 'filed', ['filed_at', 'dispute_id']);
  await index(n.disputes, 'assignee_queue', ['assignee', 'status', 'due_at']);
  await index(n.disputes, 'department_queue', ['department', 'status', 'due_at']);
  await index(n.customer_compensations, 'customer', ['customer_id', 'compensated_at']);
  await index(n.compensations, 'paid', ['status', 'paid_at']);
  await index(n.sla_deadlines, 'due', ['due_at']);
  await index(n.sla_breaches, 'detected', ['detected_at']);
}
