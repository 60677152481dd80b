import { Kysely } from 'kysely';
import { TableNames } from '../../read-side/engine/projection';

/** The penalties read model's table: penalties applied (and reversed) per breach and subject. */
export type PenaltiesTable = 'sla_penalties';

export interface SlaPenaltyTable {
  /** `<breachId>:<subject type>` */
  penalty_id: string;
  breach_id: string;
  subject_type: string;
  subject_id: string;
  channel: string | null;
  month: string;
  points: number;
  actions: string;
  applied_at: string;
  reversed_at: string | null;
}

export interface PenaltiesSchema {
  sla_penalties: SlaPenaltyTable;
}

export async function createPenaltiesTables(
  db: Kysely<any>,
  n: TableNames<PenaltiesTable>,
  options: { indexes?: boolean } = {},
): Promise<void> {
  await db.schema
    .createTable(n.sla_penalties)
    .ifNotExists()
    .addColumn('penalty_id', 'text', (c) => c.primaryKey())
    .addColumn('breach_id', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text')
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .addColumn('reversed_at', 'text')
    .execute();
  if (options.indexes !== false) await createPenaltiesIndexes(db, n);
}

export async function createPenaltiesIndexes(db: Kysely<any>, n: TableNames<PenaltiesTable>): Promise<void> {
  await db.schema.createIndex(`${n.sla_penalties}_month`).ifNotExists().on(n.sla_penalties).columns(['month', 'subject_type']).execute();
}

/**
 * Folds the batch in memory (an application replaces the whole row, a reversal sets `reversed_at`), then
 * writes: first the reversals of penalties applied in earlier batches, then one multi-row upsert. The same
 * rows as applying each event in turn, without a statement per event.
 */
