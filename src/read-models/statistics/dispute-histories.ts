import { Kysely } from 'kysely';
import { disputeStreamId } from '../../disputes/application/dispute-stream';
import { foldDispute } from '../../disputes/domain/dispute.evolve';
import { DisputeEvent } from '../../disputes/domain/dispute.events';
import { EventStore, StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { paged } from '../exports/export-dataset';
import { recordedAtOf } from '../point-in-time/known-log';
import { ReadSchema } from '../read-schema';
import { DisputeHistory, HistoryEvent } from './report-kit';

export interface HistoryScope {
  /** Disputes filed in [from, to). */
  from: string;
  to: string;
  department?: string;
  /** Only events recorded by then; absent: everything. */
  asKnownAt?: string;
}

export const historyEventOf = (e: StoredEvent): HistoryEvent => ({
  eventId: e.eventId,
  position: e.position,
  type: e.type,
  data: e.data,
  recordedAt: recordedAtOf(e),
});

/** A history from stored events, cut at `asKnownAt` (null when nothing of the dispute was recorded by then). */
export function historyOf(events: readonly HistoryEvent[], asKnownAt?: string): DisputeHistory | null {
  const known = asKnownAt === undefined ? [...events] : events.filter((e) => e.recordedAt <= asKnownAt);
  if (known.length === 0 || known[0].type !== 'DisputeFiled') return null;
  const state = foldDispute(known.map((e) => ({ type: e.type, data: e.data }) as DisputeEvent));
  return state === null ? null : { state, events: known };
}

/**
 * The disputes filed in the period, each as known at `asKnownAt`: the disputes read model names the candidates
 * (keyset pages on its filed index: filing time never changes), each one's stream is read from the log and cut
 * at the recorded time, then folded through the same evolve as the write side. The department is the one known
 * then. Constant memory per dispute; the log is the source of every figure.
 */
export async function* disputeHistories(
  db: Kysely<ReadSchema>,
  log: EventStore,
  scope: HistoryScope,
  pageSize?: number,
): AsyncGenerator<DisputeHistory> {
  // Keyset on the filed index (filed_at, dispute_id): each page is a range scan, however long the period.
  const ids = paged(
    (after, size) => {
      let q = db
        .selectFrom('disputes')
        .select(['filed_at', 'dispute_id'])
        .where('filed_at', '>=', scope.from)
        .where('filed_at', '<', scope.to);
      if (after !== undefined) {
        const [filedAt, disputeId] = JSON.parse(after) as [string, string];
        q = q.where((eb) =>
          eb.or([eb('filed_at', '>', filedAt), eb.and([eb('filed_at', '=', filedAt), eb('dispute_id', '>', disputeId)])]),
        );
      }
      return q.orderBy('filed_at').orderBy('dispute_id').limit(size).execute();
    },
    (r) => JSON.stringify([r.filed_at, r.dispute_id]),
    undefined,
    pageSize,
  );
  for await (const { dispute_id } of ids) {
    const history = historyOf((await log.readStream(disputeStreamId(dispute_id))).map(historyEventOf), scope.asKnownAt);
    if (history === null) continue;
    if (scope.department !== undefined && history.state.department !== scope.department) continue;
    yield history;
  }
}
