import { Kysely } from 'kysely';
import { StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { AuditEventTable } from '../../read-store/read-schema';
import { insertRows } from '../bulk-write';
import { Projection, ProjectionChange, TableNames } from '../projection';

type Tables = 'audit_events';

/** The cross-case audit trail: every event by actor, type and time, in global order. */
export class AuditProjection implements Projection<Tables> {
  readonly name = 'audit';
  readonly tables = ['audit_events'] as const;

  async createTables(db: Kysely<any>, n: TableNames<Tables>, options: { indexes?: boolean } = {}): Promise<void> {
    await db.schema
      .createTable(n.audit_events)
      .ifNotExists()
      .addColumn('position', 'bigint', (c) => c.primaryKey())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('stream_id', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .execute();
    if (options.indexes !== false) await this.createIndexes(db, n);
  }

  async createIndexes(db: Kysely<any>, n: TableNames<Tables>): Promise<void> {
    await db.schema.createIndex(`${n.audit_events}_actor`).ifNotExists().on(n.audit_events).columns(['actor_id', 'position']).execute();
    await db.schema.createIndex(`${n.audit_events}_type`).ifNotExists().on(n.audit_events).columns(['type', 'position']).execute();
    await db.schema.createIndex(`${n.audit_events}_time`).ifNotExists().on(n.audit_events).columns(['occurred_at']).execute();
  }

  async applyBatch(trx: Kysely<any>, events: readonly StoredEvent[], n: TableNames<Tables>): Promise<ProjectionChange[]> {
    const rows: AuditEventTable[] = events.map((e) => ({
      position: e.position,
      event_id: e.eventId,
      stream_id: e.streamId,
      revision: e.revision,
      type: e.type,
      actor_id: String(e.metadata.actorId ?? ''),
      occurred_at: e.occurredAt,
      event: JSON.stringify(e),
    }));
    await insertRows(trx, n.audit_events, rows);
    return [];
  }
}
