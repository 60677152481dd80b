import { Kysely } from 'kysely';
import { StoredEvent } from '../../shared/event-sourcing/event-store.port';

/** Logical table → physical table: the live names, or a rebuild's shadow names. */
export type TableNames<T extends string = string> = Record<T, string>;

/**
 * What a batch changed, for live feeds (e.g. the agent queue stream). Opaque to the engine: each read model
 * defines its own change records (plain, structured-cloneable data: they cross the worker thread's port) and
 * its consumers narrow them.
 */
export type ProjectionChange = unknown;

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
export interface Projection<T extends string = string, C extends ProjectionChange = ProjectionChange> {
  readonly name: string;
  readonly tables: readonly T[];
  /**
   * Names of read-store migrations that drop this projection's tables and checkpoint so it is rebuilt from the
   * log (one per incompatible change of its tables), in the read store's one numbered sequence: never renamed
   * or removed once released.
   */
  readonly rebuildMigrations?: readonly string[];
  /**
   * Creates the tables under the given names (idempotent); indexes are named after the physical table.
   * With `indexes: false` only the tables and their primary keys (a rebuild bulk-loads them, then calls
   * `createIndexes`): `applyBatch` must then need no secondary index, and none may be unique.
   */
  createTables(db: Kysely<any>, names: TableNames<T>, options?: { indexes?: boolean }): Promise<void>;
  /** The secondary indexes alone (idempotent); present when `createTables` honours `indexes: false`. */
  createIndexes?(db: Kysely<any>, names: TableNames<T>): Promise<void>;
  applyBatch(trx: Kysely<any>, events: readonly StoredEvent[], names: TableNames<T>, options?: BatchOptions): Promise<C[]>;
}

export const liveNames = <T extends string>(tables: readonly T[]): TableNames<T> =>
  Object.fromEntries(tables.map((t) => [t, t])) as unknown as TableNames<T>;
