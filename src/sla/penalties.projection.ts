import { Kysely } from 'kysely';
import { StoredEvent } from '../shared/event-sourcing/event-store.port';
import { Projection, ProjectionChange, TableNames } from '../projections/projection';
import { upsertRows } from '../projections/bulk-write';
import { SlaPenaltyTable } from '../read-store/read-schema';
import { PenaltyEvent } from './domain/penalties';

type Tables = 'sla_penalties';

/** Penalties applied and reversed, from agent and department streams, for the breach and monthly reports. */
export class PenaltiesProjection implements Projection<Tables> {
  readonly name = 'penalties';
  readonly tables = ['sla_penalties'] as const;

  async createTables(db: Kysely<any>, n: TableNames<Tables>, options: { indexes?: boolean } = {}): Promise<void> {
    await db.schema
      .createTable(n.sla_penalties)
      .ifNotExists()
      .addColumn('penalty_id', 'text', (c) => c.primaryKey())
      .addColumn('breach_id', 'text', (c) => c.notNull())
      .addColumn('subject_type', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text')
      .addColumn('month', 'text', (c) => c.notNull())
      .addColumn('points', 'integer', (c) => c.notNull())
      .addColumn('actions', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .addColumn('reversed_at', 'text')
      .execute();
    if (options.indexes !== false) await this.createIndexes(db, n);
  }

  async createIndexes(db: Kysely<any>, n: TableNames<Tables>): Promise<void> {
    await db.schema.createIndex(`${n.sla_penalties}_month`).ifNotExists().on(n.sla_penalties).columns(['month', 'subject_type']).execute();
  }

  /**
   * Folds the batch in memory (an application replaces the whole row, a reversal sets `reversed_at`), then
   * writes: first the reversals of penalties applied in earlier batches, then one multi-row upsert. The same
   * rows as applying each event in turn, without a statement per event.
   */
  async applyBatch(trx: Kysely<any>, events: readonly StoredEvent[], n: TableNames<Tables>): Promise<ProjectionChange[]> {
    const rows = new Map<string, SlaPenaltyTable>();
    const earlierReversals = new Map<string, string>();
    for (const stored of events) {
      if (!stored.streamId.startsWith('agent-') && !stored.streamId.startsWith('department-')) continue;
      const event = { type: stored.type, data: stored.data } as PenaltyEvent;
      switch (event.type) {
        case 'PenaltyApplied': {
          const d = event.data;
          const id = `${d.breachId}:${d.subjectType}`;
          rows.delete(id); // keep the map in event order
          rows.set(id, {
            penalty_id: id,
            breach_id: d.breachId,
            subject_type: d.subjectType,
            subject_id: d.subjectId,
            channel: d.channel,
            month: d.month,
            points: d.points,
            actions: JSON.stringify(d.actions),
            applied_at: d.at,
            reversed_at: null,
          });
          break;
        }
        case 'PenaltyReversed': {
          const id = `${event.data.breachId}:${event.data.subjectType}`;
          const row = rows.get(id);
          if (row) row.reversed_at = event.data.at;
          else earlierReversals.set(id, event.data.at); // a row from an earlier batch, if any (else a no-op)
          break;
        }
      }
    }
    // Before the upsert: a penalty reversed here and applied again later in the batch ends as the upsert says.
    for (const [id, at] of earlierReversals) {
      await trx.updateTable(n.sla_penalties).set({ reversed_at: at }).where('penalty_id', '=', id).execute();
    }
    await upsertRows(trx, n.sla_penalties, 'penalty_id', [...rows.values()]);
    return [];
  }
}
