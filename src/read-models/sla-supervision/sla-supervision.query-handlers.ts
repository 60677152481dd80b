import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { READ_STORE, ReadStore } from '../../read-side/store/read-store';

export interface InvestigationItem {
  breachId: string;
  disputeId: string;
  kind: string;
  source: string;
  department: string | null;
  assignee: string | null;
  detectedAt: string;
  dueAt: string | null;
  /** open | overdue | confirmed | exempted */
  status: string;
  overdueAt: string | null;
  decidedAt: string | null;
}

export const INVESTIGATION_STATUSES = ['open', 'overdue', 'confirmed', 'exempted'] as const;

/** Issue 14: the supervisors' queue of breaches under investigation, nearest deadline first. */
export class GetInvestigationsQuery extends Query<{ items: InvestigationItem[] }> {
  constructor(
    readonly department: string | undefined,
    readonly status: string | undefined,
    readonly limit = 500,
  ) {
    super();
  }
}

@QueryHandler(GetInvestigationsQuery)
export class GetInvestigationsHandler implements IQueryHandler<GetInvestigationsQuery, { items: InvestigationItem[] }> {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  async execute(query: GetInvestigationsQuery): Promise<{ items: InvestigationItem[] }> {
    let q = this.store.db.selectFrom('sla_investigations').selectAll();
    if (query.department) q = q.where('department', '=', query.department);
    q = query.status ? q.where('status', '=', query.status) : q.where('status', 'in', ['open', 'overdue']);
    const rows = await q.orderBy('due_at').orderBy('breach_id').limit(query.limit).execute();
    return {
      items: rows.map((r) => ({
        breachId: r.breach_id,
        disputeId: r.dispute_id,
        kind: r.kind,
        source: r.source,
        department: r.department,
        assignee: r.assignee,
        detectedAt: r.detected_at,
        dueAt: r.due_at,
        status: r.status,
        overdueAt: r.overdue_at,
        decidedAt: r.decided_at,
      })),
    };
  }
}
