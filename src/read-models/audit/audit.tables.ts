import { Kysely } from 'kysely';
import { TableNames } from '../../read-side/engine/projection';

/**
 * The audit read model's table: every event of the log, by actor, type and time, in global order. An index of
 * positions, not a copy: the bodies are read from the log (`EventStore.readPositions`), so a rebuild writes
 * about 100 bytes an event instead of the whole event (issue 19 item 3), and no personal data lands here.
 */
export type AuditTable = 'audit_events';

export interface AuditEventTable {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  actor_id: string;
  occurred_at: string;
}

export interface AuditSchema {
  audit_events: AuditEventTable;
}

export async function createAuditTables(db: Kysely<any>, n: TableNames<AuditTable>, options: { indexes?: boolean } = {}): Promise<void> {
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
    .execute();
  if (options.indexes !== false) await createAuditIndexes(db, n);
}

export async function createAuditIndexes(db: Kysely<any>, n: TableNames<AuditTable>): Promise<void> {
  await db.schema.createIndex(`${n.audit_events}_actor`).ifNotExists().on(n.audit_events).columns(['actor_id', 'position']).execute();
  await db.schema.createIndex(`${n.audit_events}_type`).ifNotExists().on(n.audit_events).columns(['type', 'position']).execute();
  await db.schema.createIndex(`${n.audit_events}_time`).ifNotExists().on(n.audit_events).columns(['occurred_at']).execute();
}
