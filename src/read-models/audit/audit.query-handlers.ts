import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { READ_STORE, ReadStore } from '../../read-side/store/read-store';
import { EVENT_STORE, EventStore } from '../../shared/event-sourcing/event-store.port';
import { AuditFilter, auditTrail } from './audit-queries';

type AuditPage = Awaited<ReturnType<typeof auditTrail>>;

/** A page of the cross-case audit trail after the cursor position `after`. */
export class GetAuditTrailQuery extends Query<AuditPage> {
  constructor(
    readonly filter: AuditFilter,
    readonly limit: number,
    readonly after: number,
  ) {
    super();
  }
}

/** Lets the audit model reach the log's head as of the request (bounded), then reads the page. */
@QueryHandler(GetAuditTrailQuery)
export class GetAuditTrailHandler implements IQueryHandler<GetAuditTrailQuery, AuditPage> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(EVENT_STORE) private readonly log: EventStore,
    private readonly engine: ProjectionEngine,
  ) {}

  async execute(query: GetAuditTrailQuery): Promise<AuditPage> {
    await this.engine.waitForHead('audit');
    return auditTrail(this.store.db, this.log, query.filter, query.limit, query.after);
  }
}
