import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CLOCK, Clock } from '../../shared/clock';
import { ReadScope } from '../../disputes/domain/ownership';
import { READ_STORE, ReadStore } from '../../read-side/store/read-store';
import { Queue, QueueScope, readQueue } from './queue-queries';

/**
 * A queue as of now, limited to what the caller may read. Waiting for the disputes model is the caller's
 * business (read-your-writes from a header, or none for the live stream).
 */
export class GetQueueQuery extends Query<Queue> {
  constructor(
    readonly scope: QueueScope,
    readonly visible: ReadScope = { all: true },
    readonly page: { limit?: number; cursor?: string } = {},
  ) {
    super();
  }
}

@QueryHandler(GetQueueQuery)
export class GetQueueHandler implements IQueryHandler<GetQueueQuery, Queue> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(query: GetQueueQuery): Promise<Queue> {
    const { limit, cursor } = query.page;
    return readQueue(this.store.db, query.scope, this.clock.now().toISOString(), query.visible, limit, cursor);
  }
}
