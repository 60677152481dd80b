import { Kysely } from 'kysely';
import { StoredEvent } from '../event-store/domain/event-store.port';
import { Projection, ProjectionChange, TableNames } from '../projections/projection';
import { upsert } from '../projections/disputes/disputes.projection';
import { PenaltyEvent } from './domain/penalties';

type Tables = 'sla_penalties';

/** Penalties applied and reversed, from agent and department streams, for the breach and monthly reports. */
export class PenaltiesProjection implements Projection<Tables> {
  readonly name = 'penalties';
  readonly tables = ['sla_penalties'] as const;

  async createTables(db: Kysely<any>, n: TableNames<Tables>): Promise<void> {
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
    await db.schema.createIndex(`${n.sla_penalties}_month`).ifNotExists().on(n.sla_penalties).columns(['month', 'subject_type']).execute();
  }

  async applyBatch(trx: Kysely<any>, events: readonly StoredEvent[], n: TableNames<Tables>): Promise<ProjectionChange[]> {
    for (const stored of events) {
      if (!stored.streamId.startsWith('agent-') && !stored.streamId.startsWith('department-')) continue;
      const event = { type: stored.type, data: stored.data } as PenaltyEvent;
      switch (event.type) {
        case 'PenaltyApplied': {
          const d = event.data;
          await upsert(trx, n.sla_penalties, 'penalty_id', [
            {
              penalty_id: `${d.breachId}:${d.subjectType}`,
              breach_id: d.breachId,
              subject_type: d.subjectType,
              subject_id: d.subjectId,
              channel: d.channel,
              month: d.month,
              points: d.points,
              actions: JSON.stringify(d.actions),
              applied_at: d.at,
              reversed_at: null,
            },
          ]);
          break;
        }
        case 'PenaltyReversed':
          await trx
            .updateTable(n.sla_penalties)
            .set({ reversed_at: event.data.at })
            .where('penalty_id', '=', `${event.data.breachId}:${event.data.subjectType}`)
            .execute();
          break;
      }
    }
    return [];
  }
}
