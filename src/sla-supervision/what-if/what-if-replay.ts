import { Kysely } from 'kysely';
import { disputeStreamId, toDomainEvent } from '../../disputes/application/dispute-stream';
import { EventStore } from '../../shared/event-sourcing/event-store.port';
import { ReadSchema } from '../../read-models/read-schema';
import { SlaPolicy } from '../../sla/domain/sla-policy';
import { WhatIfAccumulator, WhatIfReport } from '../domain/what-if';
import { toIsoInstant } from '../../shared/instants';

/** What one what-if replay needs, plain data (it crosses to a worker thread as is). */
export interface WhatIfJob {
  /** The proposed policy, already validated, with the version it would get. */
  proposed: SlaPolicy;
  /** Every recorded policy version (a dispute replays under the version it was filed under). */
  recorded: SlaPolicy[];
  /** Disputes filed at or after `from` and before `to` (ISO instants), oldest first. */
  from?: string;
  to?: string;
  /** At most this many disputes (the HTTP route: 20,000); none for the CLI. */
  limit?: number;
  /** "Now" of the replay: running clocks are judged up to it. */
  until: string;
}

export interface ReplayControl {
  /** Aborted: the replay stops between two disputes with WhatIfCancelled. */
  signal?: AbortSignal;
  /** Epoch ms: past it the replay stops between two disputes with WhatIfOverBudget. */
  deadline?: number;
  budgetMs?: number;
  /** Yield to the event loop after this much work (inline replays on a request thread). 0: never yield. */
  sliceMs?: number;
  onProgress?: (done: number, total: number) => void;
}

export class WhatIfOverBudget extends Error {
  constructor(
    readonly budgetMs: number,
    readonly done: number | null,
    readonly total: number | null,
  ) {
    const progress = done !== null && total !== null ? ` after ${done} of ${total} disputes` : '';
    super(
      `the what-if replay was stopped: it needed more than its time budget of ${budgetMs} ms${progress} (WHAT_IF_TIME_BUDGET_MS); nothing was written. Narrow the period with from/to`,
    );
    this.name = 'WhatIfOverBudget';
  }
}

export class WhatIfCancelled extends Error {
  constructor(reason = 'the client disconnected') {
    super(`the what-if replay was cancelled: ${reason}`);
    this.name = 'WhatIfCancelled';
  }
}

export class WhatIfBusy extends Error {
  constructor(readonly running: number) {
    super(`${running} what-if replays are already running (WHAT_IF_MAX_CONCURRENT); try again shortly`);
    this.name = 'WhatIfBusy';
  }
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The recorded history of the disputes filed in the period, replayed under their own policies and under the
 * proposed one, one dispute at a time. Reads only. Between disputes it checks the signal and the deadline, and
 * with `sliceMs` it yields to the event loop whenever that much time went by since it last did, so on a request
 * thread no stretch of it holds the loop much longer than one slice plus one dispute.
 */
export async function replayWhatIf(
  stores: { log: EventStore; db: Kysely<ReadSchema> },
  job: WhatIfJob,
  control: ReplayControl = {},
): Promise<WhatIfReport> {
  const { signal, deadline, sliceMs = 0 } = control;
  let sliceStart = performance.now();
  let done: number | null = null;
  let total: number | null = null;
  const checkpoint = async () => {
    if (sliceMs > 0 && performance.now() - sliceStart >= sliceMs) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
    if (signal?.aborted) throw new WhatIfCancelled(typeof signal.reason === 'string' ? signal.reason : undefined);
    if (deadline !== undefined && Date.now() > deadline) throw new WhatIfOverBudget(control.budgetMs ?? 0, done, total);
  };

  let query = stores.db.selectFrom('disputes').select('dispute_id');
  if (job.from) query = query.where('filed_at', '>=', toIsoInstant(job.from));
  if (job.to) query = query.where('filed_at', '<', toIsoInstant(job.to));
  query = query.orderBy('filed_at');
  if (job.limit !== undefined) query = query.limit(job.limit);
  const ids = (await query.execute()).map((r) => r.dispute_id);
  total = ids.length;
  done = 0;
  await checkpoint();

  const versions = new Map(job.recorded.map((p) => [p.version, p]));
  const replay = new WhatIfAccumulator((s) => versions.get(s.slaPolicyVersion ?? 1)!, job.proposed, job.until);
  for (const id of ids) {
    const events = (await stores.log.readStream(disputeStreamId(id))).map(toDomainEvent);
    replay.add(events);
    done++;
    control.onProgress?.(done, total);
    await checkpoint();
  }
  return replay.report();
}
