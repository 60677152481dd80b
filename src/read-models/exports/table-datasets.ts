import { ExpressionBuilder, SelectQueryBuilder } from 'kysely';
import { DisputeState } from '../../disputes/domain/dispute.state';
import { ReadSchema } from '../read-schema';
import { ExportContext, ExportDataset, ExportFilter, ExportRow, limited, paged } from './export-dataset';

type Query<T extends keyof ReadSchema> = SelectQueryBuilder<ReadSchema, T, ReadSchema[T]>;

/** The period, department and cursor filters on one table, in keyset order. */
function filtered<T extends keyof ReadSchema>(
  query: Query<T>,
  columns: { key: string; period: string; department: string | null },
  filter: ExportFilter,
  after: string | undefined,
  size: number,
): Query<T> {
  const ref = (column: string) => (eb: ExpressionBuilder<ReadSchema, T>) => eb.ref(column as never);
  let q = query;
  if (after !== undefined) q = q.where(ref(columns.key), '>', after as never);
  if (filter.from) q = q.where(ref(columns.period), '>=', filter.from as never);
  if (filter.to) q = q.where(ref(columns.period), '<', filter.to as never);
  if (filter.department !== undefined && columns.department !== null) q = q.where(ref(columns.department), '=', filter.department as never);
  return q.orderBy(columns.key as never).limit(size);
}

const DISPUTE_COLUMNS = [
  'dispute_id',
  'customer',
  'order',
  'product_sku',
  'defect_code',
  'channel',
  'category',
  'priority',
  'stage',
  'status',
  'assignee',
  'department',
  'filed_at',
  'updated_at',
  'version',
  'requested_remedy',
  'amount_claimed',
  'suggested_remedy',
  'repeat_defect',
  'reopenings',
  'feedback_score',
  'acknowledged_at',
  'negotiated_at',
  'mediated_at',
  'arbitrated_at',
  'litigated_at',
  'compensated_at',
  'closed_at',
  'rejected_at',
  'withdrawn_at',
  'resolved_at',
  'first_response_seconds',
] as const;

export const disputesDataset: ExportDataset = {
  name: 'disputes',
  description: 'one row a dispute: the non-personal fields of its view; customer and order as pseudonyms',
  columns: DISPUTE_COLUMNS,
  cursorColumn: 'dispute_id',
  periodColumn: 'filed_at',
  rows: (ctx: ExportContext, filter: ExportFilter) =>
    limited(
      mapRows(disputePages(ctx, filter), (r) => disputeRow(ctx, r)),
      filter.limit,
    ),
};

function disputePages(ctx: ExportContext, filter: ExportFilter) {
  const columns = { key: 'dispute_id', period: 'filed_at', department: 'department' };
  return paged(
    (after, size) => filtered(ctx.db.selectFrom('disputes').selectAll(), columns, filter, after, size).execute(),
    (r) => r.dispute_id,
    filter.after,
  );
}

function disputeRow(ctx: ExportContext, r: ReadSchema['disputes']): ExportRow {
  const state = JSON.parse(r.state) as DisputeState;
  return {
    dispute_id: r.dispute_id,
    customer: ctx.pseudonyms.customer(r.customer_id),
    order: ctx.pseudonyms.order(r.order_id),
    product_sku: r.product_sku,
    defect_code: r.defect_code,
    channel: r.channel,
    category: r.category,
    priority: r.priority,
    stage: r.stage,
    status: r.status,
    assignee: r.assignee,
    department: r.department,
    filed_at: r.filed_at,
    updated_at: r.updated_at,
    version: r.version,
    requested_remedy: state.filing.requestedRemedy,
    amount_claimed: state.filing.amountClaimed?.amount ?? null,
    suggested_remedy: r.suggested_remedy,
    repeat_defect: state.filing.repeatDefect,
    reopenings: state.reopenings,
    feedback_score: state.feedback?.score ?? null,
    acknowledged_at: r.acknowledged_at,
    negotiated_at: r.negotiated_at,
    mediated_at: r.mediated_at,
    arbitrated_at: r.arbitrated_at,
    litigated_at: r.litigated_at,
    compensated_at: r.compensated_at,
    closed_at: r.closed_at,
    rejected_at: r.rejected_at,
    withdrawn_at: r.withdrawn_at,
    resolved_at: r.resolved_at,
    first_response_seconds: r.first_response_seconds,
  };
}

export const compensationsDataset: ExportDataset = {
  name: 'compensations',
  description: 'one row a compensation (proposed, approved, paid or declined); amounts in minor units (fen)',
  columns: [
    'compensation_id',
    'dispute_id',
    'customer',
    'type',
    'category',
    'department',
    'basis',
    'amount',
    'currency',
    'status',
    'proposed_at',
    'approved_at',
    'paid_at',
  ],
  cursorColumn: 'compensation_id',
  periodColumn: 'proposed_at',
  rows: (ctx, filter) => {
    const columns = { key: 'compensation_id', period: 'proposed_at', department: 'department' };
    const pages = paged(
      (after, size) => filtered(ctx.db.selectFrom('compensations').selectAll(), columns, filter, after, size).execute(),
      (r) => r.compensation_id,
      filter.after,
    );
    return limited(
      mapRows(pages, ({ customer_id, ...r }) => ({ ...r, customer: ctx.pseudonyms.customer(customer_id), amount: Number(r.amount) })),
      filter.limit,
    );
  },
};

export const breachesDataset: ExportDataset = {
  name: 'breaches',
  description: 'one row an SLA breach with its status (detected, confirmed, exempted)',
  columns: [
    'breach_id',
    'dispute_id',
    'kind',
    'clock_key',
    'channel',
    'category',
    'assignee',
    'department',
    'due_at',
    'detected_at',
    'status',
    'source',
  ],
  cursorColumn: 'breach_id',
  periodColumn: 'detected_at',
  rows: (ctx, filter) => {
    const columns = { key: 'breach_id', period: 'detected_at', department: 'department' };
    const pages = paged(
      (after, size) => filtered(ctx.db.selectFrom('sla_breaches').selectAll(), columns, filter, after, size).execute(),
      (r) => r.breach_id,
      filter.after,
    );
    return limited(
      mapRows(pages, (r) => ({ ...r })),
      filter.limit,
    );
  },
};

export const penaltiesDataset: ExportDataset = {
  name: 'penalties',
  description: 'one row a penalty applied for a breach to an agent or a department (reversed_at set when undone)',
  columns: [
    'penalty_id',
    'breach_id',
    'subject_type',
    'subject_id',
    'channel',
    'month',
    'points',
    'actions',
    'applied_at',
    'reversed_at',
    'department',
  ],
  cursorColumn: 'penalty_id',
  periodColumn: 'applied_at',
  rows: (ctx, filter) => {
    const columns = { key: 'sla_penalties.penalty_id', period: 'sla_penalties.applied_at', department: 'sla_breaches.department' };
    const base = ctx.db
      .selectFrom('sla_penalties')
      .leftJoin('sla_breaches', 'sla_breaches.breach_id', 'sla_penalties.breach_id')
      .selectAll('sla_penalties')
      .select('sla_breaches.department');
    const pages = paged(
      (after, size) => filtered(base as unknown as Query<'sla_penalties'>, columns, filter, after, size).execute(),
      (r) => r.penalty_id,
      filter.after,
    );
    return limited(
      mapRows(pages, (r) => ({ ...(r as ExportRow) })),
      filter.limit,
    );
  },
};

export async function* mapRows<T>(rows: AsyncIterable<T>, map: (row: T) => ExportRow): AsyncGenerator<ExportRow> {
  for await (const row of rows) yield map(row);
}
