import { Kysely, sql } from 'kysely';
import { ReadScope } from '../../disputes/domain/ownership';
import { ReadSchema } from '../read-schema';
import { ChecklistItem, CHECKLIST_ITEMS } from '../disputes/daily-checklist';
import { visibleInDepartment } from '../disputes/dispute-directory';
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
  /** The daily check list: dispute ids per item. */
  checklist: Record<ChecklistItem, string[]>;
  asOf: string;
}

/**
 * Queues ordered breached first, then at risk, then by nearest due time, then by priority. Breached and at
 * risk are decided at read time from stored instants, so a queue reorders as time passes with no writes.
 */
export async function readQueue(
  db: Kysely<ReadSchema>,
  scope: QueueScope,
  now: string,
  visible: ReadScope = { all: true },
  limit = 200,
): Promise<Queue> {
  let query = db
    .selectFrom('disputes')
    .select([
      'dispute_id',
      'stage',
      'status',
      'priority',
      'due_at',
      'at_risk_at',
      'due_kind',
      'suggested_remedy',
      'assignee',
      'department',
      'checklist',
    ])
    .where('status', 'in', ['open', 'awaiting_payment']);
  if ('assignee' in scope) query = query.where('assignee', '=', scope.assignee);
  else if ('department' in scope) query = query.where('department', '=', scope.department);
  else query = query.where('assignee', 'is', null);
  // Only what the caller may read (ownership): their department's disputes and those that have none.
  if ('department' in visible) query = query.where(visibleInDepartment(visible.department));
  const rows = await query
    .orderBy(
      sql`CASE WHEN due_at IS NOT NULL AND due_at < ${now} THEN 0 WHEN at_risk_at IS NOT NULL AND at_risk_at < ${now} THEN 1 ELSE 2 END`,
    )
    .orderBy(sql`CASE WHEN due_at IS NULL THEN 1 ELSE 0 END`)
    .orderBy('due_at', 'asc')
    .orderBy('priority_rank', 'desc')
    .orderBy('dispute_id', 'asc')
    .limit(limit)
    .execute();
  const items: QueueItem[] = rows.map((r) => ({
    disputeId: r.dispute_id,
    stage: r.stage,
    status: r.status,
    priority: r.priority,
    slaState: slaStateAt({ dueAt: r.due_at, atRiskAt: r.at_risk_at }, now),
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
  return { items, checklist, asOf: now };
}
