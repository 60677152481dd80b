import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool, types } from 'pg';
import type { AppConfig } from '../../config/app-config';

export type ReadDialect = 'sqlite' | 'postgres';

/**
 * The read store: one Kysely instance over SQLite (embedded) or PostgreSQL (production). Untyped here: the
 * engine knows no read model's tables; each read model types its own queries (`Kysely<ReadSchema>`, see
 * src/read-models/read-schema.ts).
 */
export interface ReadStore {
  db: Kysely<any>;
  dialect: ReadDialect;
  /** For PostgreSQL only: the pool, e.g. to hold advisory-lock sessions. */
  pool: Pool | null;
  close(): Promise<void>;
}

// int8 (global positions, counts) as numbers: positions stay far below 2^53.
types.setTypeParser(20, (value) => Number(value));

/**
 * `file` and `synchronous` serve other SQLite tables kept beside the log (the customers' data keys: their own file,
 * synchronous like the log, since they are not rebuildable).
 */
export function openSqliteReadStore(dataDir: string | null, options: { file?: string; synchronous?: 'NORMAL' | 'FULL' } = {}): ReadStore {
  let file = ':memory:';
  if (dataDir !== null) {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, options.file ?? 'read.db');
  }
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  // Read models are rebuildable from the log: NORMAL survives a process crash, which is what matters here.
  database.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return { db, dialect: 'sqlite', pool: null, close: () => db.destroy() };
}

const STATEMENT_CACHE_MAX = 500;

/**
 * Kysely's SQLite driver prepares every query anew; compiling the SQL costs more than running most of our
 * queries. Statements are reused per SQL text (least recently used dropped beyond the bound); SQLite
 * re-prepares a cached statement by itself when the schema changes (rebuild swaps).
 */
export function withStatementCache(database: Database.Database): Database.Database {
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let statement = cache.get(sql);
    if (statement) {
      cache.delete(sql); // re-inserted below: Map order is recency
    } else {
      statement = database.prepare(sql);
      if (cache.size >= STATEMENT_CACHE_MAX) cache.delete(cache.keys().next().value as string);
    }
    cache.set(sql, statement);
    return statement;
  };
  return new Proxy(database, {
    get(target, property, receiver) {
      if (property === 'prepare') return prepare;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The configured read store, as it is (migrations are the opener's business: see openReadStore). */
export function connectReadStore(config: Pick<AppConfig, 'readStore' | 'databaseUrl' | 'dataDir'>): ReadStore {
  return config.readStore === 'postgres' ? openPostgresReadStore(config.databaseUrl!) : openSqliteReadStore(config.dataDir);
}

export function openPostgresReadStore(connectionString: string, options: { max?: number } = {}): ReadStore {
  const pool = new Pool({ connectionString, max: options.max ?? 10 });
  // An idle connection dropped by the server (restart, failover) must not crash the process: the pool
  // replaces it on the next query, and callers see the failure of the query they made.
  pool.on('error', () => undefined);
  // Likewise a connection checked out between two queries (a projection's transaction): without a listener
  // its 'error' event would crash the process; the next query on it fails and the caller retries.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', pool, close: () => db.destroy() };
}

/** True when the Kysely instance (or transaction) talks to PostgreSQL. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}

export const READ_STORE = Symbol('READ_STORE');
