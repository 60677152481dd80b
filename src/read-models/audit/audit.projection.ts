import { Kysely } from 'kysely';
import { StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { createAuditIndexes, createAuditTables, AuditEventTable, AuditTable } from './audit.tables';
import { insertRows } from '../../read-side/engine/bulk-write';
import { Projection, ProjectionChange, TableNames } from '../../read-side/engine/projection';

type Tables = AuditTable;

/** The cross-case audit trail: every event by actor, type and time, in global order. */
export class AuditProjection implements Projection<Tables> {
  readonly name = 'audit';
  readonly tables = ['audit_events'] as const;
  /** The table lost its copy of each event (v2): stores built before are rebuilt once from the log. */
  readonly rebuildMigrations = ['010_audit_events_without_bodies'];

  createTables(db: Kysely<any>, names: TableNames<Tables>, options?: { indexes?: boolean }): Promise<void> {
    return createAuditTables(db, names, options);
  }

  createIndexes(db: Kysely<any>, names: TableNames<Tables>): Promise<void> {
    return createAuditIndexes(db, names);
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
    }));
    await insertRows(trx, n.audit_events, rows);
    return [];
  }
}
