import { DisputeState } from '../../disputes/domain/dispute.state';
import { evolve } from '../../disputes/domain/dispute.evolve';
import { Kysely } from 'kysely';
import { StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { DisputeEvent } from '../../disputes/domain/dispute.events';
import { runningDisputeClocks } from '../../sla/domain/dispute-clocks';
import { DEFAULT_SLA_POLICY, SlaPolicy } from '../../sla/domain/sla-policy';
import { CHUNK, insertRows, insertRowsIgnoring, upsertRows } from '../../read-side/engine/bulk-write';
import { BatchOptions, Projection, TableNames } from '../../read-side/engine/projection';
import { ProjectionApplyError } from '../../read-side/engine/runner';
import { breachRows, compensationRows, deadlineRows, disputeRow, Kept, keptOf, recordMilestones } from './disputes.rows';
import {
  CompensationRowTable,
  createDisputesIndexes,
  createDisputesTables,
  DISPUTES_REBUILD_MIGRATIONS,
  DISPUTES_TABLES,
  DisputeRowTable,
  DisputesTable,
  SlaBreachTable,
  SlaDeadlineTable,
} from './disputes.tables';

type Tables = DisputesTable;

/** The change feed's record for one dispute a batch touched (the agent queue stream filters on it). */
export interface DisputeChange {
  disputeId: string;
  assignee: string | null;
  department: string | null;
  previousAssignee?: string | null;
}

/** Narrows the engine's opaque change records to the disputes model's. */
export const isDisputeChange = (change: unknown): change is DisputeChange =>
  typeof change === 'object' && change !== null && typeof (change as DisputeChange).disputeId === 'string' && 'assignee' in change;

/** Where the projection finds a dispute's SLA policy version (refreshed when a batch needs a version it lacks). */
export interface PolicySource {
  refresh(): Promise<unknown>;
  cached(version: number): SlaPolicy | undefined;
}

const DEFAULT_ONLY: PolicySource = {
  refresh: async () => undefined,
  cached: (v) => (v === DEFAULT_SLA_POLICY.version ? DEFAULT_SLA_POLICY : undefined),
};

/** What a rebuild keeps of a dispute it wrote, instead of reading the row back and parsing its state. */
interface Written {
  state: DisputeState;
  kept: Kept;
}
/** Disputes kept in a rebuild's scratch map (least recently written dropped first): bounds its memory. */
const REBUILD_CACHE_MAX = 5000;

/**
 * Disputes, one row each (list, queues, funnel), their compensations (cost reports) and each customer's
 * compensated disputes (abuse control). A batch loads the rows it touches once, evolves them in memory and
 * writes them back with multi-row upserts: rebuild speed comes from not doing a round trip per event.
 */
export class DisputesProjection implements Projection<Tables, DisputeChange> {
  readonly name = 'disputes';
  readonly tables = DISPUTES_TABLES;
  readonly rebuildMigrations = DISPUTES_REBUILD_MIGRATIONS;

  constructor(private readonly policies: PolicySource = DEFAULT_ONLY) {}

  createTables(db: Kysely<any>, names: TableNames<Tables>, options?: { indexes?: boolean }): Promise<void> {
    return createDisputesTables(db, names, options);
  }

  createIndexes(db: Kysely<any>, names: TableNames<Tables>): Promise<void> {
    return createDisputesIndexes(db, names);
  }

  private policyFor(state: DisputeState): SlaPolicy {
    const policy = this.policies.cached(state.slaPolicyVersion ?? 1);
    if (!policy) throw new ProjectionApplyError(`SLA policy version ${state.slaPolicyVersion} unknown`);
    return policy;
  }

  async applyBatch(
    trx: Kysely<any>,
    events: readonly StoredEvent[],
    n: TableNames<Tables>,
    options: BatchOptions = {},
  ): Promise<DisputeChange[]> {
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
      const found = (await trx
        .selectFrom(n.disputes)
        .selectAll()
        .where('dispute_id', 'in', toRead.slice(i, i + CHUNK))
        .execute()) as DisputeRowTable[];
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
        throw new ProjectionApplyError(
          `cannot apply ${stored.type} ${stored.eventId} (position ${stored.position}): ${(error as Error).message}`,
        );
      }
      states.set(id, state);
      const reached = milestones.get(id) ?? {};
      recordMilestones(reached, event, state);
      milestones.set(id, reached);
      if (event.type === 'DisputeCompensated') {
        compensatedNow.push({ dispute_id: id, customer_id: event.data.customerId, compensated_at: event.data.at });
      }
    }

    // Each dispute's final state in this batch: its SLA clocks (due time and deadlines) computed once.
    const disputeRows: DisputeRowTable[] = [];
    const compensationRowsOut: CompensationRowTable[] = [];
    const breachRowsOut: SlaBreachTable[] = [];
    const deadlines: SlaDeadlineTable[] = [];
    for (const [id, state] of states) {
      const running = runningDisputeClocks(state, this.policyFor(state));
      disputeRows.push(disputeRow(state, previous.get(id), milestones.get(id) ?? {}, running));
      for (const row of compensationRows(state)) compensationRowsOut.push(row);
      for (const row of breachRows(state)) breachRowsOut.push(row);
      for (const row of deadlineRows(state, running)) deadlines.push(row);
    }
    await upsertRows(trx, n.disputes, 'dispute_id', disputeRows);
    await upsertRows(trx, n.compensations, 'compensation_id', compensationRowsOut);
    await upsertRows(trx, n.sla_breaches, 'breach_id', breachRowsOut);
    // Deadlines: the dispute's running clocks without a breach, rewritten whole for each dispute touched (a
    // dispute without a row had none: they are written together).
    for (let i = 0; i < existed.length; i += CHUNK)
      await trx
        .deleteFrom(n.sla_deadlines)
        .where('dispute_id', 'in', existed.slice(i, i + CHUNK))
        .execute();
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
    return [...states].map(([id, s]) => ({
      disputeId: id,
      assignee: s.assignee,
      department: s.department,
      previousAssignee: previous.get(id)?.assignee ?? null,
    }));
  }
}
