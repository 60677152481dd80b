import { Kysely } from 'kysely';
import { TableNames } from '../../read-side/engine/projection';

/** Issue 14: the customer remedies confirmed breaches issued, and the investigation of every breach. */
export type SlaSupervisionTable = 'sla_remedies' | 'sla_investigations';
export const SLA_SUPERVISION_TABLES = ['sla_remedies', 'sla_investigations'] as const;

export interface SlaRemedyTable {
  remedy_id: string;
  breach_id: string;
  dispute_id: string;
  type: string;
  /** issued | delivered | revoked */
  status: string;
  issued_at: string;
  delivered_at: string | null;
  revoked_at: string | null;
  revoke_reason: string | null;
  coupon_percent: number | null;
  /** Minor units of the order amount the coupon applies to (null: unknown). */
  applies_to_amount: number | null;
  currency: string | null;
  upgrade_until: string | null;
  channel: string | null;
  department: string | null;
  assignee: string | null;
}

export interface SlaInvestigationTable {
  breach_id: string;
  dispute_id: string;
  kind: string;
  source: string;
  department: string | null;
  assignee: string | null;
  detected_at: string;
  /** Null for breaches recorded before investigation deadlines existed. */
  due_at: string | null;
  /** open | overdue | confirmed | exempted */
  status: string;
  overdue_at: string | null;
  decided_at: string | null;
}

export interface SlaSupervisionSchema {
  sla_remedies: SlaRemedyTable;
  sla_investigations: SlaInvestigationTable;
}

export async function createSlaSupervisionTables(
  db: Kysely<any>,
  n: TableNames<SlaSupervisionTable>,
  options: { indexes?: boolean } = {},
): Promise<void> {
  const text = 'text';
  await db.schema
    .createTable(n.sla_remedies)
    .ifNotExists()
    .addColumn('remedy_id', text, (c) => c.primaryKey())
    .addColumn('breach_id', text, (c) => c.notNull())
    .addColumn('dispute_id', text, (c) => c.notNull())
    .addColumn('type', text, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('issued_at', text, (c) => c.notNull())
    .addColumn('delivered_at', text)
    .addColumn('revoked_at', text)
    .addColumn('revoke_reason', text)
    .addColumn('coupon_percent', 'integer')
    .addColumn('applies_to_amount', 'bigint')
    .addColumn('currency', text)
    .addColumn('upgrade_until', text)
    .addColumn('channel', text)
    .addColumn('department', text)
    .addColumn('assignee', text)
    .execute();
  await db.schema
    .createTable(n.sla_investigations)
    .ifNotExists()
    .addColumn('breach_id', text, (c) => c.primaryKey())
    .addColumn('dispute_id', text, (c) => c.notNull())
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('source', text, (c) => c.notNull())
    .addColumn('department', text)
    .addColumn('assignee', text)
    .addColumn('detected_at', text, (c) => c.notNull())
    .addColumn('due_at', text)
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('overdue_at', text)
    .addColumn('decided_at', text)
    .execute();
  if (options.indexes !== false) await createSlaSupervisionIndexes(db, n);
}

export async function createSlaSupervisionIndexes(db: Kysely<any>, n: TableNames<SlaSupervisionTable>): Promise<void> {
  await db.schema.createIndex(`${n.sla_remedies}_issued`).ifNotExists().on(n.sla_remedies).columns(['issued_at']).execute();
  await db.schema
    .createIndex(`${n.sla_investigations}_queue`)
    .ifNotExists()
    .on(n.sla_investigations)
    .columns(['status', 'department', 'due_at'])
    .execute();
}
