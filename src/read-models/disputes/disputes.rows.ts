import { DisputeState, disputeStatus } from '../../disputes/domain/dispute.state';
import { DisputeEvent } from '../../disputes/domain/dispute.events';
import { PRIORITIES } from '../../disputes/domain/dispute.types';
import { DisputeClock } from '../../sla/domain/dispute-clocks';
import { dailyChecklist } from './daily-checklist';
import { disputeDueOf } from './dispute-due';
import { CompensationRowTable, DisputeRowTable, SlaBreachTable, SlaDeadlineTable } from './disputes.tables';

/** The disputes read model's evolve-to-rows: pure functions from a folded dispute to its rows. */

/** The columns of a written row that the next batch reads back (besides the state). */
export type Kept = Pick<
  DisputeRowTable,
  | 'assignee'
  | 'acknowledged_at'
  | 'negotiated_at'
  | 'mediated_at'
  | 'arbitrated_at'
  | 'litigated_at'
  | 'compensated_at'
  | 'closed_at'
  | 'rejected_at'
  | 'withdrawn_at'
  | 'resolved_at'
  | 'first_response_seconds'
>;
/** Milestones kept once reached, for the funnel and time-to-resolution reports. */
const MILESTONE: Partial<Record<DisputeEvent['type'], keyof DisputeRowTable>> = {
  DisputeAcknowledged: 'acknowledged_at',
  DisputeNegotiated: 'negotiated_at',
  DisputeCompensated: 'compensated_at',
  DisputeRejected: 'rejected_at',
  DisputeWithdrawn: 'withdrawn_at',
};
const FORUM_MILESTONE = { mediation: 'mediated_at', arbitration: 'arbitrated_at', litigation: 'litigated_at' } as const;
const RESOLVING = new Set(['DisputeCompensated', 'DisputeClosed', 'DisputeRejected', 'DisputeWithdrawn']);

/** Notes the milestones `event` reaches in `reached` (the dispute's row columns met in this batch). */
export function recordMilestones(reached: Partial<DisputeRowTable>, event: DisputeEvent, state: DisputeState): void {
  const column = MILESTONE[event.type] ?? (event.type === 'DisputeEscalated' ? FORUM_MILESTONE[event.data.forum] : undefined);
  if (column) (reached as Record<string, string>)[column] ??= event.data.at;
  if (event.type === 'DisputeClosed') reached.closed_at = event.data.at;
  // Taken when it happens, not from the final state: a batch may hold the answer and a later reopening.
  if (event.type === 'DisputeAcknowledged' && state.reopenings === 0) {
    reached.first_response_seconds ??= Math.round((Date.parse(event.data.respondedAt) - Date.parse(state.filedAt)) / 1000);
  }
  if (RESOLVING.has(event.type)) reached.resolved_at ??= event.data.at;
}

/**
 * A dispute's row from its folded state: what it is now (stage, status, due time, check list), and the
 * milestones reached (kept from the previous row once set; `reached` holds those met in this batch).
 */
export function disputeRow(
  state: DisputeState,
  previous: Kept | undefined,
  reached: Partial<DisputeRowTable>,
  running: readonly DisputeClock[],
): DisputeRowTable {
  const due = disputeDueOf(state, running);
  const keep = (column: keyof Kept) => (previous?.[column] as string | null | undefined) ?? (reached[column] as string | undefined) ?? null;
  return {
    dispute_id: state.id,
    customer_id: state.filing.customerId,
    order_id: state.filing.orderId,
    product_sku: state.filing.productSku,
    defect_code: state.filing.defectCode,
    channel: state.filing.channel,
    category: state.filing.category,
    priority: state.priority,
    priority_rank: PRIORITIES.indexOf(state.priority),
    stage: state.stage,
    status: disputeStatus(state),
    assignee: state.assignee,
    department: state.department,
    filed_at: state.filedAt,
    updated_at: state.updatedAt,
    version: state.version,
    due_kind: due.kind,
    due_at: due.dueAt,
    at_risk_at: due.atRiskAt,
    checklist: JSON.stringify(dailyChecklist(state)),
    suggested_remedy: state.suggestedRemedy,
    acknowledged_at: keep('acknowledged_at'),
    negotiated_at: keep('negotiated_at'),
    mediated_at: keep('mediated_at'),
    arbitrated_at: keep('arbitrated_at'),
    litigated_at: keep('litigated_at'),
    compensated_at: keep('compensated_at'),
    closed_at: (reached.closed_at as string | undefined) ?? previous?.closed_at ?? null,
    rejected_at: keep('rejected_at'),
    withdrawn_at: keep('withdrawn_at'),
    resolved_at: keep('resolved_at'),
    first_response_seconds: previous?.first_response_seconds ?? reached.first_response_seconds ?? null,
    state: JSON.stringify(state),
  };
}

export function breachRows(state: DisputeState): SlaBreachTable[] {
  return state.breaches.map((b) => ({
    breach_id: b.breachId,
    dispute_id: state.id,
    kind: b.kind,
    clock_key: b.clockKey,
    channel: state.filing.channel,
    category: state.filing.category,
    assignee: b.assignee,
    department: b.department,
    due_at: b.dueAt,
    detected_at: b.detectedAt,
    status: b.status,
    source: b.source,
  }));
}

export function compensationRows(state: DisputeState): CompensationRowTable[] {
  return state.compensations.map((c) => ({
    compensation_id: c.compensationId,
    dispute_id: state.id,
    customer_id: state.filing.customerId,
    type: c.type,
    category: state.filing.category,
    department: state.department,
    basis: c.basis,
    amount: c.amount?.amount ?? 0,
    currency: c.amount?.currency ?? 'CNY',
    status: c.status,
    proposed_at: c.proposedAt,
    approved_at: c.approvedAt,
    paid_at: c.paidAt,
  }));
}

/** Running clocks with a due time and no breach yet: what the breach scheduler watches. */
export function deadlineRows(state: DisputeState, running: readonly DisputeClock[]): SlaDeadlineTable[] {
  const out: SlaDeadlineTable[] = investigationDeadlines(state);
  if (running.length === 0) return out;
  const breached = new Set(state.breaches.map((b) => b.clockKey));
  for (const c of running)
    if (c.dueAt !== null && !breached.has(c.key)) out.push({ dispute_id: state.id, clock_key: c.key, kind: c.kind, due_at: c.dueAt });
  return out;
}

/** Issue 14: each breach awaiting investigation has a deadline the scheduler fires (`investigation:<breachId>`). */
function investigationDeadlines(state: DisputeState): SlaDeadlineTable[] {
  return state.breaches
    .filter((b) => b.status === 'detected' && b.investigationDueAt && !b.investigationOverdueAt)
    .map((b) => ({ dispute_id: state.id, clock_key: `investigation:${b.breachId}`, kind: 'investigation', due_at: b.investigationDueAt! }));
}

export function keptOf(row: DisputeRowTable): Kept {
  return {
    assignee: row.assignee,
    acknowledged_at: row.acknowledged_at,
    negotiated_at: row.negotiated_at,
    mediated_at: row.mediated_at,
    arbitrated_at: row.arbitrated_at,
    litigated_at: row.litigated_at,
    compensated_at: row.compensated_at,
    closed_at: row.closed_at,
    rejected_at: row.rejected_at,
    withdrawn_at: row.withdrawn_at,
    resolved_at: row.resolved_at,
    first_response_seconds: row.first_response_seconds,
  };
}
