import { Kysely } from 'kysely';
import { EventMetadata, NewEvent } from '../../src/shared/event-sourcing/event-store.port';
import { InMemoryEventStore } from '../../src/event-store/in-memory-event-store';
import { Projection } from '../../src/read-side/engine/projection';
import { ProjectionRunner } from '../../src/read-side/engine/runner';
import { migrateReadStore } from '../../src/read-side/store/migrations';
import { openSqliteReadStore } from '../../src/read-side/store/read-store';

/** An event as a spec writes it: its stream, type and data; metadata and time are optional. */
export interface GivenEvent {
  streamId: string;
  type: string;
  data: object;
  metadata?: Partial<EventMetadata>;
  occurredAt?: string;
}

type Row = Record<string, unknown>;
type Expectation = Record<string, Row[]> | ((rows: Record<string, Row[]>, db: Kysely<any>) => void | Promise<void>);

const METADATA: EventMetadata = {
  actorId: 'spec-actor',
  actorRoles: ['agent'],
  commandId: 'spec-command',
  correlationId: 'spec-correlation',
  causationId: null,
  policyVersion: null,
  schemaVersion: 1,
};

/**
 * Given events → expected rows, for one projection (after Emmett's projection specs). The events go into an
 * in-memory log; the projection runs with the real engine (runner, checkpoint, transaction) against a fresh
 * in-memory SQLite read store migrated for it alone. Every spec runs twice, one event per batch and the whole
 * history in one batch, and both must write the expected rows: a projection that folds a batch in memory must
 * land where applying each event in turn does.
 *
 *   await ProjectionSpec.for(() => new AuditProjection())
 *     .given(event1, event2)
 *     .then({ audit_events: [{ position: 1, type: 'DisputeFiled' }, ...] });
 *
 * Expected rows are compared column by column, each on the columns it names, in the table's primary-key order (or
 * `orderBy`), and the row counts must match; `then` also takes a function of every table's rows and the
 * read store (to run a read model's queries over them), called before the store closes.
 */
export class ProjectionSpec {
  private constructor(
    private readonly make: () => Projection,
    private readonly history: readonly GivenEvent[] = [],
    private readonly order: Record<string, string[]> = {},
  ) {}

  /** A factory: each run needs a projection of its own (some keep state between batches). */
  static for(make: () => Projection): ProjectionSpec {
    return new ProjectionSpec(make);
  }

  given(...events: GivenEvent[]): ProjectionSpec {
    return new ProjectionSpec(this.make, [...this.history, ...events], this.order);
  }

  /** More events after the given ones (reads as the event under test). */
  when(...events: GivenEvent[]): ProjectionSpec {
    return this.given(...events);
  }

  /** The columns a table's rows are ordered by before comparing (default: its first expected column). */
  orderBy(table: string, ...columns: string[]): ProjectionSpec {
    return new ProjectionSpec(this.make, this.history, { ...this.order, [table]: columns });
  }

  async then(expected: Expectation): Promise<void> {
    for (const batchSize of [1, Math.max(1, this.history.length)]) {
      await this.run(batchSize, async (rows, db) => {
        if (typeof expected === 'function') await expected(rows, db);
        else compare(batchSize, rows, expected);
      });
    }
  }

  /** Every table of the projection, after the history, in order. */
  private async run(batchSize: number, check: (rows: Record<string, Row[]>, db: Kysely<any>) => Promise<void>): Promise<void> {
    const projection = this.make();
    const store = openSqliteReadStore(null);
    const log = new InMemoryEventStore();
    try {
      await migrateReadStore(store.db, [projection]);
      for (const event of this.history) {
        const next: NewEvent = {
          type: event.type,
          data: event.data as Record<string, unknown>,
          metadata: { ...METADATA, ...event.metadata },
          occurredAt: event.occurredAt,
        };
        await log.append(event.streamId, [next], 'any');
      }
      await new ProjectionRunner(store.db, log, projection, { batchSize }).catchUp();
      const out: Record<string, Row[]> = {};
      for (const table of projection.tables) {
        let query = store.db.selectFrom(table).selectAll();
        const order = this.order[table] ?? [];
        for (const column of order) query = query.orderBy(column);
        const rows = (await query.execute()) as Row[];
        out[table] = order.length > 0 ? rows : rows.sort(byFirstColumn);
      }
      await check(out, store.db);
    } finally {
      await store.close();
      await log.close();
    }
  }
}

/** Each expected table's rows, on the columns the expectation names (the batch size says which run failed). */
function compare(batchSize: number, rows: Record<string, Row[]>, expected: Record<string, Row[]>): void {
  for (const [table, want] of Object.entries(expected)) {
    const got = rows[table];
    if (got === undefined) throw new Error(`the projection has no table ${table}`);
    // Row i is compared on the columns expected row i names (extra rows: on every column, so they show).
    const columnsOf = (i: number) => (want[i] ? Object.keys(want[i]) : Object.keys(got[i] ?? {}));
    const project = (r: Row, i: number) => Object.fromEntries(columnsOf(i).map((c) => [c, normalise(r[c])]));
    expect({ batchSize, table, rows: got.map(project) }).toEqual({ batchSize, table, rows: want.map(project) });
  }
}

/** SQLite gives bigints back as numbers already; JSON text columns are compared as text. */
const normalise = (value: unknown) => (value === undefined ? null : value);

function byFirstColumn(a: Row, b: Row): number {
  const key = Object.keys(a)[0];
  return String(a[key]).localeCompare(String(b[key]), 'en', { numeric: true });
}
