import { Kysely } from 'kysely';
import { StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { DisputeEvent } from '../../disputes/domain/dispute.events';
import { DisputeState, disputeStatus } from '../../disputes/domain/dispute.state';
import { evolve } from '../../disputes/domain/dispute.evolve';
import { PRIORITIES } from '../../disputes/domain/dispute.types';
import { CompensationRowTable, DisputeRowTable, SlaBreachTable, SlaDeadlineTable } from '../../read-store/read-schema';
import { DisputeClock, runningDisputeClocks } from '../../sla/domain/dispute-clocks';
import { DEFAULT_SLA_POLICY, SlaPolicy } from '../../sla/domain/sla-policy';
import { CHUNK, insertRows, insertRowsIgnoring, upsertRows } from '../bulk-write';
import { BatchOptions, Projection, ProjectionChange, TableNames } from '../projection';
import { ProjectionApplyError } from '../projection-engine';
import { dailyChecklist } from './daily-checklist';
import { disputeDueOf } from './dispute-due';

type Tables = 'disputes' | 'customer_compensations' | 'compensations' | 'sla_deadlines' | 'sla_breaches';

/** Where the projection finds a dispute's SLA policy version (refreshed when a batch needs a version it lacks). */
export interface PolicySource {
  refresh(): Promise<unknown>;
  cached(version: number): SlaPolicy | undefined;
}

const DEFAULT_ONLY: PolicySource = { refresh: async () => undefined, cached: (v) => (v === DEFAULT_SLA_POLICY.version ? DEFAULT_SLA_POLICY : undefined) };

/** The columns of a written row that the next batch reads back (besides the state). */
type Kept = Pick<
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
/** What a rebuild keeps of a dispute it wrote, instead of reading the row back and parsing its state. */
interface Written {
  state: DisputeState;
  kept: Kept;
}
/** Disputes kept in a rebuild's scratch map (least recently written dropped first): bounds its memory. */
const REBUILD_CACHE_MAX = 5000;

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

  async createTables(db: Kysely<any>, n: TableNames<Tables>, options: { indexes?: boolean } = {}): Promise<void> {
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
    if (options.indexes !== false) await this.createIndexes(db, n);
  }

  async createIndexes(db: Kysely<any>, n: TableNames<Tables>): Promise<void> {
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

  async applyBatch(trx: Kysely<any>, events: readonly StoredEvent[], n: TableNames<Tables>, options: BatchOptions = {}): Promise<ProjectionChange[]> {
    const mine = events.filter((e) => e.streamId.startsWith('dispute-'));
    if (mine.length === 0) return [];
    const ids = [...new Set(mine.map((e) => e.data.disputeId as string))];
    // The previous row of each dispute touched: from a rebuild's scratch map when it wrote it in an earlier
    // batch (it is the only writer of its tables), else read back from the store.
    const cache = options.scratch as Map<string, Written> | undefined;
    const previous = new Map<string, Kept>();
    const states = new Map<string, DisputeState>();
    const toRead: string[] = [];
    for (const id of ids) {
      const written = cache?.get(id);
      if (written) {
        previous.set(id, written.kept);
        states.set(id, written.state);
      } else toRead.push(id);
    }
    for (let i = 0; i < toRead.length; i += CHUNK) {
      const found = (await trx.selectFrom(n.disputes).selectAll().where('dispute_id', 'in', toRead.slice(i, i + CHUNK)).execute()) as DisputeRowTable[];
      for (const row of found) {
        previous.set(row.dispute_id, row);
        states.set(row.dispute_id, JSON.parse(row.state) as DisputeState);
      }
    }
    // Every policy version this batch needs, from the rows loaded and the filings in it (another instance may
    // have added a version since this process last looked).
    const versions = [
      ...[...states.values()].map((st) => st.slaPolicyVersion ?? 1),
      ...mine.filter((e) => e.type === 'DisputeFiled').map((e) => (e.data.slaPolicyVersion as number | undefined) ?? 1),
    ];
    if (versions.some((v) => !this.policies.cached(v))) await this.policies.refresh();
    const existed = [...previous.keys()];
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

    // Each dispute's final state in this batch: its SLA clocks (due time and deadlines) computed once.
    const disputeRows: DisputeRowTable[] = [];
    const compensationRows: CompensationRowTable[] = [];
    const breachRows: SlaBreachTable[] = [];
    const deadlines: SlaDeadlineTable[] = [];
    for (const [id, state] of states) {
      const running = runningDisputeClocks(state, this.policyFor(state));
      disputeRows.push(this.toRow(state, previous.get(id), milestones.get(id) ?? {}, running));
      for (const row of toCompensationRows(state)) compensationRows.push(row);
      for (const row of toBreachRows(state)) breachRows.push(row);
      for (const row of deadlinesOf(state, running)) deadlines.push(row);
    }
    await upsertRows(trx, n.disputes, 'dispute_id', disputeRows);
    await upsertRows(trx, n.compensations, 'compensation_id', compensationRows);
    await upsertRows(trx, n.sla_breaches, 'breach_id', breachRows);
    // Deadlines: the dispute's running clocks without a breach, rewritten whole for each dispute touched (a
    // dispute without a row had none: they are written together).
    for (let i = 0; i < existed.length; i += CHUNK) await trx.deleteFrom(n.sla_deadlines).where('dispute_id', 'in', existed.slice(i, i + CHUNK)).execute();
    await insertRows(trx, n.sla_deadlines, deadlines);
    await insertRowsIgnoring(trx, n.customer_compensations, ['dispute_id', 'compensated_at'], compensatedNow);
    if (cache) {
      for (const row of disputeRows) {
        cache.delete(row.dispute_id); // re-inserted last: the most recently written are kept
        cache.set(row.dispute_id, { state: states.get(row.dispute_id)!, kept: keptOf(row) });
      }
      for (const id of cache.keys()) {
        if (cache.size <= REBUILD_CACHE_MAX) break;
        cache.delete(id);
      }
    }
    return [...states].map(([id, s]) => ({ disputeId: id, assignee: s.assignee, department: s.department, previousAssignee: previous.get(id)?.assignee ?? null }));
  }

  private toRow(state: DisputeState, previous: Kept | undefined, reached: Partial<DisputeRowTable>, running: readonly DisputeClock[]): DisputeRowTable {
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

/** Running clocks with a due time and no breach yet: what the breach scheduler watches. */
function deadlinesOf(state: DisputeState, running: readonly DisputeClock[]): SlaDeadlineTable[] {
  const out: SlaDeadlineTable[] = [];
  if (running.length === 0) return out;
  const breached = new Set(state.breaches.map((b) => b.clockKey));
  for (const c of running) if (c.dueAt !== null && !breached.has(c.key)) out.push({ dispute_id: state.id, clock_key: c.key, kind: c.kind, due_at: c.dueAt });
  return out;
}

function keptOf(row: DisputeRowTable): Kept {
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
