import { Kysely } from 'kysely';
import { StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { Projection, ProjectionChange, TableNames } from '../../read-side/engine/projection';
import { upsertRows } from '../../read-side/engine/bulk-write';
import { createPenaltiesIndexes, createPenaltiesTables, SlaPenaltyTable, PenaltiesTable } from './penalties.tables';
import { PenaltyEvent } from '../../sla/domain/penalties';

type Tables = PenaltiesTable;

/** Penalties applied and reversed, from agent and department streams, for the breach and monthly reports. */
export class PenaltiesProjection implements Projection<Tables> {
  readonly name = 'penalties';
  readonly tables = ['sla_penalties'] as const;

  createTables(db: Kysely<any>, names: TableNames<Tables>, options?: { indexes?: boolean }): Promise<void> {
    return createPenaltiesTables(db, names, options);
  }

  createIndexes(db: Kysely<any>, names: TableNames<Tables>): Promise<void> {
    return createPenaltiesIndexes(db, names);
  }

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
