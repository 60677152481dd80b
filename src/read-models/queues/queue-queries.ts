import { ExpressionBuilder, Kysely, RawBuilder, sql } from 'kysely';
import { ReadScope } from '../../disputes/domain/ownership';
import { ReadSchema } from '../read-schema';
import { ChecklistItem, CHECKLIST_ITEMS } from '../disputes/daily-checklist';
import { InvalidCursorError, visibleInDepartment } from '../disputes/dispute-directory';
import { slaStateAt } from '../disputes/dispute-due';

export type QueueScope = { assignee: string } | { department: string } | { unassigned: true };

export interface QueueItem {
  disputeId: string;
  stage: string;
  status: string;
  priority: string;
  slaState: 'ok' | 'at_risk' | 'breached';
  dueAt: string | null;
  dueKind: string | null;
  suggestedRemedy: string;
  assignee: string | null;
  department: string | null;
  checklist: ChecklistItem[];
}

export interface Queue {
  items: QueueItem[];
  /** The next page (null on the last): pages keep the first page's `asOf`, so their order never shifts under them. */
  nextCursor: string | null;
  /** Open disputes in the queue, all pages together. */
  total: number;
  /** The daily check list: dispute ids per item. */
  checklist: Record<ChecklistItem, string[]>;
  asOf: string;
}

/** The most a page holds, and the default (what the queue answered before it had pages). */
export const QUEUE_PAGE_MAX = 200;

/** Where a page ends: the sort key of its last row, and the instant the whole queue is ordered at. */
interface QueueCursor {
  asOf: string;
  bucket: number;
  dueAt: string | null;
  rank: number;
  id: string;
}

/**
 * Queues ordered breached first, then at risk, then by nearest due time, then by priority. Breached and at
 * risk are decided at read time from stored instants, so a queue reorders as time passes with no writes;
 * the pages after the first are ordered at the first page's instant (kept in the cursor), so no dispute is
 * skipped or shown twice because time moved between pages.
 */
export async function readQueue(
  db: Kysely<ReadSchema>,
  scope: QueueScope,
  now: string,
  visible: ReadScope = { all: true },
  limit = QUEUE_PAGE_MAX,
  cursor?: string,
): Promise<Queue> {
  const after = cursor === undefined ? undefined : decodeQueueCursor(cursor);
  const asOf = after?.asOf ?? now;
  let query = db.selectFrom('disputes').where('status', 'in', ['open', 'awaiting_payment']);
  if ('assignee' in scope) query = query.where('assignee', '=', scope.assignee);
  else if ('department' in scope) query = query.where('department', '=', scope.department);
  else query = query.where('assignee', 'is', null);
  // Only what the caller may read (ownership): their department's disputes and those that have none.
  if ('department' in visible) query = query.where(visibleInDepartment(visible.department));
  const counted = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();

  const bucket = sql<number>`CASE WHEN due_at IS NOT NULL AND due_at < ${asOf} THEN 0 WHEN at_risk_at IS NOT NULL AND at_risk_at < ${asOf} THEN 1 ELSE 2 END`;
  const dueNull = sql<number>`CASE WHEN due_at IS NULL THEN 1 ELSE 0 END`;
  let page = query.select([
    'dispute_id',
    'stage',
    'status',
    'priority',
    'priority_rank',
    'due_at',
    'at_risk_at',
    'due_kind',
    'suggested_remedy',
    'assignee',
    'department',
    'checklist',
    bucket.as('bucket'),
  ]);
  if (after) page = page.where(afterKey(after, bucket, dueNull));
  const rows = await page
    .orderBy(bucket)
    .orderBy(dueNull)
    .orderBy('due_at', 'asc')
    .orderBy('priority_rank', 'desc')
    .orderBy('dispute_id', 'asc')
    .limit(limit + 1)
    .execute();
  const kept = rows.slice(0, limit);
  const items: QueueItem[] = kept.map((r) => ({
    disputeId: r.dispute_id,
    stage: r.stage,
    status: r.status,
    priority: r.priority,
    slaState: slaStateAt({ dueAt: r.due_at, atRiskAt: r.at_risk_at }, asOf),
    dueAt: r.due_at,
    dueKind: r.due_kind,
    suggestedRemedy: r.suggested_remedy,
    assignee: r.assignee,
    department: r.department,
    checklist: JSON.parse(r.checklist) as ChecklistItem[],
  }));
  const checklist = Object.fromEntries(
    CHECKLIST_ITEMS.map((item) => [item, items.filter((i) => i.checklist.includes(item)).map((i) => i.disputeId)]),
  ) as Record<ChecklistItem, string[]>;
  const last = kept.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? encodeQueueCursor({ asOf, bucket: Number(last.bucket), dueAt: last.due_at, rank: Number(last.priority_rank), id: last.dispute_id })
      : null;
  return { items, nextCursor, total: Number(counted.n), checklist, asOf };
}

/** Rows after the cursor's in the queue's order: (bucket, due_at nulls last, priority_rank desc, dispute_id). */
function afterKey(c: QueueCursor, bucket: RawBuilder<number>, dueNull: RawBuilder<number>) {
  return (eb: ExpressionBuilder<ReadSchema, 'disputes'>) => {
    const tie = eb.or([eb('priority_rank', '<', c.rank), eb.and([eb('priority_rank', '=', c.rank), eb('dispute_id', '>', c.id)])]);
    const sameNullness =
      c.dueAt === null
        ? eb.and([eb(dueNull, '=', 1), tie])
        : eb.or([eb(dueNull, '=', 1), eb('due_at', '>', c.dueAt), eb.and([eb('due_at', '=', c.dueAt), tie])]);
    return eb.or([eb(bucket, '>', c.bucket), eb.and([eb(bucket, '=', c.bucket), sameNullness])]);
  };
}

const encodeQueueCursor = (c: QueueCursor) => Buffer.from(JSON.stringify([c.asOf, c.bucket, c.dueAt, c.rank, c.id])).toString('base64url');

export function decodeQueueCursor(cursor: string): QueueCursor {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 5 &&
      typeof v[0] === 'string' &&
      !Number.isNaN(Date.parse(v[0])) &&
      Number.isInteger(v[1]) &&
      (v[2] === null || typeof v[2] === 'string') &&
      Number.isInteger(v[3]) &&
      typeof v[4] === 'string'
    )
      return { asOf: v[0], bucket: v[1] as number, dueAt: v[2] as string | null, rank: v[3] as number, id: v[4] };
  } catch {
    /* fall through */
  }
  throw new InvalidCursorError('cursor is not one this service issued for a queue');
}
