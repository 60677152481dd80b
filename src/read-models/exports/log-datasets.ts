import { disputeStreamId } from '../../disputes/application/dispute-stream';
import { evolve } from '../../disputes/domain/dispute.evolve';
import { DisputeEvent } from '../../disputes/domain/dispute.events';
import { DisputeStateOrNone, disputeStatus } from '../../disputes/domain/dispute.state';
import { StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { ExportContext, ExportDataset, ExportFilter, ExportRow, EXPORT_PAGE, limited, paged } from './export-dataset';
import { eventExportRow } from './event-redaction';
import { eventsAt } from '../audit/audit-queries';

const DISPUTE_PREFIX = 'dispute-';
const disputeIdOf = (streamId: string) => (streamId.startsWith(DISPUTE_PREFIX) ? streamId.slice(DISPUTE_PREFIX.length) : null);

/**
 * Pages of the log in global order after a position: the positions the audit read model finds for the type and
 * period, the events read from the log by position (the read model keeps no copy of them).
 */
async function* auditPages(ctx: ExportContext, filter: ExportFilter, type?: string): AsyncGenerator<StoredEvent[]> {
  let after = filter.after === undefined ? 0 : Number(filter.after);
  for (;;) {
    let q = ctx.db.selectFrom('audit_events').select('position').where('position', '>', after);
    if (type) q = q.where('type', '=', type);
    if (filter.from) q = q.where('occurred_at', '>=', filter.from);
    if (filter.to) q = q.where('occurred_at', '<', filter.to);
    const page = await q.orderBy('position').limit(EXPORT_PAGE).execute();
    if (page.length > 0)
      yield await eventsAt(
        ctx.log,
        page.map((r) => Number(r.position)),
      );
    if (page.length < EXPORT_PAGE) return;
    after = Number(page[page.length - 1].position);
  }
}

type DisputeFacts = { department: string | null; category: string; channel: string; assignee: string | null; customer_id: string };

/** The current row of each dispute a page of events belongs to (one query a page). */
async function disputesOf(ctx: ExportContext, events: readonly StoredEvent[]): Promise<Map<string, DisputeFacts>> {
  const ids = [...new Set(events.map((e) => disputeIdOf(e.streamId)).filter((id): id is string => id !== null))];
  const out = new Map<string, DisputeFacts>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ctx.db
      .selectFrom('disputes')
      .select(['dispute_id', 'department', 'category', 'channel', 'assignee', 'customer_id'])
      .where('dispute_id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.dispute_id, r);
  }
  return out;
}

export const eventsDataset: ExportDataset = {
  name: 'events',
  description: 'the event log in global order; customer and order ids pseudonymised and free text redacted in `data`',
  columns: [
    'position',
    'event_id',
    'stream_id',
    'revision',
    'type',
    'occurred_at',
    'schema_version',
    'actor_id',
    'actor_roles',
    'correlation_id',
    'data',
  ],
  cursorColumn: 'position',
  periodColumn: 'occurred_at',
  rows: (ctx, filter) => limited(eventRows(ctx, filter), filter.limit),
};

async function* eventRows(ctx: ExportContext, filter: ExportFilter): AsyncGenerator<ExportRow> {
  for await (const page of auditPages(ctx, filter)) {
    const facts = filter.department === undefined ? null : await disputesOf(ctx, page);
    for (const event of page) {
      if (facts !== null && facts.get(disputeIdOf(event.streamId) ?? '')?.department !== filter.department) continue;
      yield eventExportRow(event, ctx.pseudonyms);
    }
  }
}

export const feedbackDataset: ExportDataset = {
  name: 'feedback',
  description: "one row a feedback score (1-5) with the dispute's category, channel, department and agent; comments are not exported",
  columns: ['event_id', 'position', 'dispute_id', 'customer', 'score', 'received_at', 'category', 'channel', 'department', 'assignee'],
  cursorColumn: 'position',
  periodColumn: 'received_at',
  rows: (ctx, filter) => limited(feedbackRows(ctx, filter), filter.limit),
};

async function* feedbackRows(ctx: ExportContext, filter: ExportFilter): AsyncGenerator<ExportRow> {
  for await (const page of auditPages(ctx, filter, 'FeedbackReceived')) {
    const facts = await disputesOf(ctx, page);
    for (const event of page) {
      const disputeId = String(event.data.disputeId);
      const d = facts.get(disputeId);
      if (filter.department !== undefined && d?.department !== filter.department) continue;
      yield {
        event_id: event.eventId,
        position: event.position,
        dispute_id: disputeId,
        customer: d ? ctx.pseudonyms.customer(d.customer_id) : null,
        score: Number(event.data.score),
        received_at: String(event.data.at),
        category: d?.category ?? null,
        channel: d?.channel ?? null,
        department: d?.department ?? null,
        assignee: d?.assignee ?? null,
      };
    }
  }
}

export const TRANSITION_COLUMNS = [
  'transition_id',
  'dispute_id',
  'seq',
  'event_id',
  'event_type',
  'from_stage',
  'to_stage',
  'from_status',
  'to_status',
  'entered_at',
  'left_at',
  'duration_seconds',
  'category',
  'department',
] as const;

export const transitionsDataset: ExportDataset = {
  name: 'transitions',
  description:
    'one row a change of stage or status of a dispute: when it was entered, left, and how long it lasted (null while current); `transition_id` is `<dispute_id>:<seq>`',
  columns: TRANSITION_COLUMNS,
  cursorColumn: 'transition_id',
  periodColumn: 'filed_at',
  rows: (ctx, filter) => limited(transitionRows(ctx, filter), filter.limit),
};

/** The transitions of one dispute from its events (pure): one row each time its stage or status changes. */
export function transitionsOf(events: readonly Pick<StoredEvent, 'eventId' | 'type' | 'data'>[]): ExportRow[] {
  const rows: ExportRow[] = [];
  let state: DisputeStateOrNone = null;
  for (const stored of events) {
    const before = state;
    state = evolve(state, { type: stored.type, data: stored.data } as DisputeEvent);
    const from = before === null ? null : { stage: before.stage, status: disputeStatus(before) };
    const to = { stage: state.stage, status: disputeStatus(state) };
    if (from !== null && from.stage === to.stage && from.status === to.status) continue;
    const at = String(stored.data.at);
    const previous = rows[rows.length - 1];
    if (previous) {
      previous.left_at = at;
      previous.duration_seconds = Math.round((Date.parse(at) - Date.parse(String(previous.entered_at))) / 1000);
    }
    rows.push({
      transition_id: `${state.id}:${rows.length}`,
      dispute_id: state.id,
      seq: rows.length,
      event_id: stored.eventId,
      event_type: stored.type,
      from_stage: from?.stage ?? null,
      to_stage: to.stage,
      from_status: from?.status ?? null,
      to_status: to.status,
      entered_at: at,
      left_at: null,
      duration_seconds: null,
      category: state.filing.category,
      department: state.department,
    });
  }
  return rows;
}

/** Disputes in keyset order (filed in the period, of the department), each one's stream folded into its transitions. */
async function* transitionRows(ctx: ExportContext, filter: ExportFilter): AsyncGenerator<ExportRow> {
  const [afterDispute, afterSeq] = splitTransitionCursor(filter.after);
  const pages = paged(
    async (after, size) => {
      let q = ctx.db.selectFrom('disputes').select('dispute_id');
      // The cursor's own dispute is read again from the row after the cursor's sequence number.
      if (after !== undefined) q = after === afterDispute ? q.where('dispute_id', '>=', after) : q.where('dispute_id', '>', after);
      if (filter.from) q = q.where('filed_at', '>=', filter.from);
      if (filter.to) q = q.where('filed_at', '<', filter.to);
      if (filter.department !== undefined) q = q.where('department', '=', filter.department);
      return q.orderBy('dispute_id').limit(size).execute();
    },
    (r) => r.dispute_id,
    afterDispute,
  );
  for await (const { dispute_id } of pages) {
    for (const row of transitionsOf(await ctx.log.readStream(disputeStreamId(dispute_id)))) {
      if (dispute_id === afterDispute && Number(row.seq) <= afterSeq) continue;
      yield row;
    }
  }
}

function splitTransitionCursor(after: string | undefined): [string | undefined, number] {
  if (after === undefined) return [undefined, -1];
  const at = after.lastIndexOf(':');
  return at < 0 ? [after, Number.MAX_SAFE_INTEGER] : [after.slice(0, at), Number(after.slice(at + 1))];
}
