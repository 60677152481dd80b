import { Kysely } from 'kysely';
import { StoredEvent } from '../shared/event-sourcing/event-store.port';
import { ReadSchema } from '../read-store/read-schema';

/** Logical table → physical table: the live names, or a rebuild's shadow names. */
export type TableNames<T extends keyof ReadSchema = keyof ReadSchema> = Record<T, string>;

/** What a batch changed, for live feeds (e.g. the agent queue stream). */
export interface ProjectionChange {
  disputeId: string;
  assignee: string | null;
  department: string | null;
  previousAssignee?: string | null;
}

/**
 * Per-run options of a batch. A rebuild passes `scratch`: a map owned by the projection for the whole rebuild
 * run (one per projection and run), where it may keep what it wrote in earlier batches (e.g. folded states)
 * instead of reading it back. Only valid because a rebuild is the only writer of its shadow tables and stops
 * at the first failed batch; the live path never passes it.
 */
export interface BatchOptions {
  scratch?: Map<string, unknown>;
}

/**
 * A read model fed from the global log in batches. `applyBatch` runs inside the engine's transaction,
 * together with the checkpoint, so each event takes effect exactly once.
 */
export interface Projection<T extends keyof ReadSchema = keyof ReadSchema> {
  readonly name: string;
  readonly tables: readonly T[];
  /**
   * Creates the tables under the given names (idempotent); indexes are named after the physical table.
   * With `indexes: false` only the tables and their primary keys (a rebuild bulk-loads them, then calls
   * `createIndexes`): `applyBatch` must then need no secondary index, and none may be unique.
   */
  createTables(db: Kysely<any>, names: TableNames<T>, options?: { indexes?: boolean }): Promise<void>;
  /** The secondary indexes alone (idempotent); present when `createTables` honours `indexes: false`. */
  createIndexes?(db: Kysely<any>, names: TableNames<T>): Promise<void>;
  applyBatch(trx: Kysely<any>, events: readonly StoredEvent[], names: TableNames<T>, options?: BatchOptions): Promise<ProjectionChange[]>;
}

export const liveNames = <T extends keyof ReadSchema>(tables: readonly T[]): TableNames<T> =>
  Object.fromEntries(tables.map((t) => [t, t])) as unknown as TableNames<T>;
