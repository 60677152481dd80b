import { DisputeState } from '../domain/dispute.state';
import { Actor } from '../../shared/actor';
import { Inject, NotFoundException } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore, RAW_EVENT_STORE, StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { verifyChain } from '../../event-store/domain/hash-chain';
import { DIRECTORY, DisputeDirectoryPort, DisputeListFilter } from './ports/dispute-directory.port';

import { assertCanRead, readScope } from '../domain/ownership';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { disputeStreamId, foldStored } from './dispute-stream';
import { CLOCK, Clock } from '../../shared/clock';

/** Every read names who asks: ownership decides which disputes they may read (403 outside it). */
export class GetDisputeQuery {
  constructor(
    readonly disputeId: string,
    readonly actor: Actor,
  ) {}
}
export class ListDisputesQuery {
  constructor(
    readonly filter: DisputeListFilter,
    readonly limit: number,
    readonly actor: Actor,
    readonly cursor?: string,
  ) {}
}
export class GetDisputeEventsQuery {
  constructor(
    readonly disputeId: string,
    readonly actor: Actor,
  ) {}
}
export class GetDisputeHistoryQuery {
  /** `revision`: the events up to it (as recorded) instead of those that occurred by `asOf`. */
  constructor(
    readonly disputeId: string,
    readonly asOf: Date,
    readonly actor: Actor,
    readonly revision?: number,
  ) {}
}
export class VerifyDisputeChainQuery {
  constructor(
    readonly disputeId: string,
    readonly actor: Actor,
  ) {}
}

/** The dispute's events, once ownership allows the actor to read it (judged on its current state). */
async function readExisting(store: EventStore, disputeId: string, actor: Actor): Promise<StoredEvent[]> {
  const events = await store.readStream(disputeStreamId(disputeId));
  if (events.length === 0) throw new NotFoundException(`dispute ${disputeId} not found`);
  assertCanRead(actor, foldStored(events) as DisputeState);
  return events;
}

/** The dispute from its own stream: always current, whatever the projections' lag. */
@QueryHandler(GetDisputeQuery)
export class GetDisputeHandler implements IQueryHandler<GetDisputeQuery, DisputeState> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async execute(query: GetDisputeQuery): Promise<DisputeState> {
    return foldStored(await readExisting(this.store, query.disputeId, query.actor)) as DisputeState;
  }
}

/** The list reads the directory after letting it catch up with the log as it was when asked (bounded). */
@QueryHandler(ListDisputesQuery)
export class ListDisputesHandler implements IQueryHandler<ListDisputesQuery> {
  constructor(
    @Inject(DIRECTORY) private readonly directory: DisputeDirectoryPort,
    private readonly projections: ProjectionEngine,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}
  async execute(query: ListDisputesQuery) {
    await this.projections.waitForHead('disputes');
    if (query.filter.q) await this.projections.waitForHead('dispute-search');
    const scope = readScope(query.actor);
    const filter = 'all' in scope ? query.filter : { ...query.filter, visibleDepartment: scope.department };
    return this.directory.list(filter, query.limit, query.cursor, this.clock.now().toISOString());
  }
}

@QueryHandler(GetDisputeEventsQuery)
export class GetDisputeEventsHandler implements IQueryHandler<GetDisputeEventsQuery, StoredEvent[]> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  execute(query: GetDisputeEventsQuery): Promise<StoredEvent[]> {
    return readExisting(this.store, query.disputeId, query.actor);
  }
}

/** The state as of a moment: the events recorded up to then, folded again. */
@QueryHandler(GetDisputeHistoryQuery)
export class GetDisputeHistoryHandler implements IQueryHandler<GetDisputeHistoryQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async execute(query: GetDisputeHistoryQuery): Promise<{ state: DisputeState | null; events: StoredEvent[] }> {
    const all = await readExisting(this.store, query.disputeId, query.actor);
    const events =
      query.revision !== undefined
        ? all.filter((e) => e.revision <= query.revision!)
        : all.filter((e) => Date.parse(e.occurredAt) <= query.asOf.getTime());
    return { state: foldStored(events), events };
  }
}

@QueryHandler(VerifyDisputeChainQuery)
export class VerifyDisputeChainHandler implements IQueryHandler<VerifyDisputeChainQuery> {
  // The stored events: hashes cover the personal fields' ciphertext, not what EVENT_STORE decrypts.
  constructor(@Inject(RAW_EVENT_STORE) private readonly store: EventStore) {}
  async execute(query: VerifyDisputeChainQuery) {
    return verifyChain(await readExisting(this.store, query.disputeId, query.actor));
  }
}
