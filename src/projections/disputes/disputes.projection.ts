import { Kysely } from 'kysely';
import { StoredEvent } from '../../event-store/domain/event-store.port';
import { DisputeEvent, DisputeState, disputeStatus, evolve } from '../../disputes/domain/dispute.events';
import { PRIORITIES } from '../../disputes/domain/dispute.types';
import { CompensationRowTable, DisputeRowTable, SlaBreachTable, SlaDeadlineTable } from '../../read-store/read-schema';
import { disputeClocks } from '../../sla/domain/dispute-clocks';
import { DEFAULT_SLA_POLICY, SlaPolicy } from '../../sla/domain/sla-policy';
import { Projection, ProjectionChange, TableNames } from '../projection';
import { ProjectionApplyError } from '../projection-engine';
import { dailyChecklist } from './daily-checklist';
import { disputeDue } from './dispute-due';

type Tables = 'disputes' | 'customer_compensations' | 'compensations' | 'sla_deadlines' | 'sla_breaches';

/** Where the projection finds a dispute's SLA policy version (refreshed when a batch needs a version it lacks). */
export interface PolicySource {
  refresh(): Promise<unknown>;
  cached(version: number): SlaPolicy | undefined;
}

const DEFAULT_ONLY: PolicySource = { refresh: async () => undefined, cached: (v) => (v === DEFAULT_SLA_POLICY.version ? DEFAULT_SLA_POLICY : undefined) };
const CHUNK = 400; // rows per multi-row upsert: well under SQLite's and PostgreSQL's parameter limits

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

/**
 * Disputes, one row each (list, queues, funnel), their compensations (cost reports) and each customer's
 * compensated disputes (abuse control). A batch loads the rows it touches once, evolves them in memory and
 * writes them back with multi-row upserts: rebuild speed comes from not doing a round trip per event.
 */
export class DisputesProjection implements Projection<Tables> {
  readonly name = 'disputes';
  readonly tables = ['disputes', 'customer_compensations', 'compensations', 'sla_deadlines', 'sla_breaches'] as const;

  constructor(private readonly policies: PolicySource = DEFAULT_ONLY) {}

  private policyFor(state: DisputeState): SlaPolicy {
    const policy = this.policies.cached(state.slaPolicyVersion ?? 1);
    if (!policy) throw new ProjectionApplyError(`SLA policy version ${state.slaPolicyVersion} unknown`);
    return policy;
  }

  async createTables(db: Kysely<any>, n: TableNames<Tables>): Promise<void> {
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
    const index = async (table: string, suffix: string, columns: string[]) =>
      db.schema.createIndex(`${table}_${suffix}`).ifNotExists().on(table).columns(columns).execute();
    await index(n.disputes, 'order_line', ['order_id', 'product_sku', 'defect_code']);
    await index(n.disputes, 'customer', ['customer_id', 'filed_at']);
    await index(n.disputes, 'filed', ['filed_at', 'dispute_id']);
    await index(n.disputes, 'assignee_queue', ['assignee', 'status', 'due_at']);
    await index(n.disputes, 'department_queue', ['department', 'status', 'due_at']);
    await db.schema
      .createTable(n.customer_compensations)
      .ifNotExists()
      .addColumn('dispute_id', text, (c) => c.notNull())
      .addColumn('customer_id', text, (c) => c.notNull())
      .addColumn('compensated_at', text, (c) => c.notNull())
      .addPrimaryKeyConstraint(`${n.customer_compensations}_pk`, ['dispute_id', 'compensated_at'])
      .execute();
    await index(n.customer_compensations, 'customer', ['customer_id', 'compensated_at']);
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
    await index(n.compensations, 'paid', ['status', 'paid_at']);
    await db.schema
      .createTable(n.sla_deadlines)
      .ifNotExists()
      .addColumn('dispute_id', text, (c) => c.notNull())
      .addColumn('clock_key', text, (c) => c.notNull())
      .addColumn('kind', text, (c) => c.notNull())
      .addColumn('due_at', text, (c) => c.notNull())
      .addPrimaryKeyConstraint(`${n.sla_deadlines}_pk`, ['dispute_id', 'clock_key'])
      .execute();
    await index(n.sla_deadlines, 'due', ['due_at']);
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
    await index(n.sla_breaches, 'detected', ['detected_at']);
  }

  async applyBatch(trx: Kysely<any>, events: readonly StoredEvent[], n: TableNames<Tables>): Promise<ProjectionChange[]> {
    const mine = events.filter((e) => e.streamId.startsWith('dispute-'));
    if (mine.length === 0) return [];
    const ids = [...new Set(mine.map((e) => e.data.disputeId as string))];
    const rows = new Map<string, DisputeRowTable>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const found = (await trx.selectFrom(n.disputes).selectAll().where('dispute_id', 'in', ids.slice(i, i + CHUNK)).execute()) as DisputeRowTable[];
      for (const row of found) rows.set(row.dispute_id, row);
    }
    const states = new Map<string, DisputeState>([...rows].map(([id, row]) => [id, JSON.parse(row.state) as DisputeState]));
    // Every policy version this batch needs, from the rows loaded and the filings in it (another instance may
    // have added a version since this process last looked).
    const versions = [
      ...[...states.values()].map((st) => st.slaPolicyVersion ?? 1),
      ...mine.filter((e) => e.type === 'DisputeFiled').map((e) => (e.data.slaPolicyVersion as number | undefined) ?? 1),
    ];
    if (versions.some((v) => !this.policies.cached(v))) await this.policies.refresh();
    const before = new Map([...rows].map(([id, row]) => [id, row.assignee]));
    const milestones = new Map<string, Partial<DisputeRowTable>>();
    const compensatedNow: { dispute_id: string; customer_id: string; compensated_at: string }[] = [];

    for (const stored of mine) {
      const event = { type: stored.type, data: stored.data } as DisputeEvent;
      const id = event.data.disputeId;
      let state: DisputeState;
      try {
        state = evolve(states.get(id) ?? null, event);
      } catch (error) {
        throw new ProjectionApplyError(`cannot apply ${stored.type} ${stored.eventId} (position ${stored.position}): ${(error as Error).message}`);
      }
      states.set(id, state);
      const reached = milestones.get(id) ?? {};
      const column = MILESTONE[event.type] ?? (event.type === 'DisputeEscalated' ? FORUM_MILESTONE[event.data.forum] : undefined);
      if (column) (reached as Record<string, string>)[column] ??= event.data.at;
      if (event.type === 'DisputeClosed') reached.closed_at = event.data.at;
      // Taken when it happens, not from the final state: a batch may hold the answer and a later reopening.
      if (event.type === 'DisputeAcknowledged' && state.reopenings === 0) {
        reached.first_response_seconds ??= Math.round((Date.parse(event.data.respondedAt) - Date.parse(state.filedAt)) / 1000);
      }
      if (RESOLVING.has(event.type)) reached.resolved_at ??= event.data.at;
      milestones.set(id, reached);
      if (event.type === 'DisputeCompensated') {
        compensatedNow.push({ dispute_id: id, customer_id: event.data.customerId, compensated_at: event.data.at });
      }
    }

    const disputeRows = [...states].map(([id, state]) => this.toRow(state, rows.get(id), milestones.get(id) ?? {}));
    await upsert(trx, n.disputes, 'dispute_id', disputeRows);
    const compensationRows = [...states.values()].flatMap((s) => toCompensationRows(s));
    await upsert(trx, n.compensations, 'compensation_id', compensationRows);
    await upsert(trx, n.sla_breaches, 'breach_id', [...states.values()].flatMap(toBreachRows));
    // Deadlines: the dispute's running clocks without a breach, rewritten whole for each dispute touched.
    for (let i = 0; i < ids.length; i += CHUNK) await trx.deleteFrom(n.sla_deadlines).where('dispute_id', 'in', ids.slice(i, i + CHUNK)).execute();
    const deadlines = [...states.values()].flatMap((s) => this.deadlines(s));
    for (let i = 0; i < deadlines.length; i += CHUNK) await trx.insertInto(n.sla_deadlines).values(deadlines.slice(i, i + CHUNK)).execute();
    for (let i = 0; i < compensatedNow.length; i += CHUNK) {
      await trx
        .insertInto(n.customer_compensations)
        .values(compensatedNow.slice(i, i + CHUNK))
        .onConflict((oc) => oc.columns(['dispute_id', 'compensated_at']).doNothing())
        .execute();
    }
    return [...states].map(([id, s]) => ({ disputeId: id, assignee: s.assignee, department: s.department, previousAssignee: before.get(id) ?? null }));
  }

  /** Running clocks with a due time and no breach yet: what the breach scheduler watches. */
  private deadlines(state: DisputeState): SlaDeadlineTable[] {
    const breached = new Set(state.breaches.map((b) => b.clockKey));
    return disputeClocks(state, this.policyFor(state))
      .filter((c) => c.running && c.dueAt !== null && !breached.has(c.key))
      .map((c) => ({ dispute_id: state.id, clock_key: c.key, kind: c.kind, due_at: c.dueAt! }));
  }

  private toRow(state: DisputeState, previous: DisputeRowTable | undefined, reached: Partial<DisputeRowTable>): DisputeRowTable {
    const due = disputeDue(state, this.policyFor(state));
    const keep = (column: keyof DisputeRowTable) => (previous?.[column] as string | null | undefined) ?? (reached[column] as string | undefined) ?? null;
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
}

function toBreachRows(state: DisputeState): SlaBreachTable[] {
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

function toCompensationRows(state: DisputeState): CompensationRowTable[] {
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

/** Multi-row INSERT … ON CONFLICT (key) DO UPDATE, portable between SQLite and PostgreSQL. */
export async function upsert<R extends object>(trx: Kysely<any>, table: string, key: keyof R & string, rows: R[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]).filter((c) => c !== key);
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) => oc.column(key).doUpdateSet((eb) => Object.fromEntries(columns.map((c) => [c, eb.ref(`excluded.${c}`)]))))
      .execute();
  }
}
