import { CompiledQuery, Kysely } from 'kysely';
import { isPostgres } from '../store/read-store';

/** Rows per multi-row statement: 400 rows × up to 33 columns stays under SQLite's and PostgreSQL's parameter limits. */
export const CHUNK = 400;

type Conflict = { kind: 'none' } | { kind: 'update'; key: string } | { kind: 'ignore'; keys: readonly string[] };

/**
 * SQL text of a multi-row INSERT, built by Kysely once per (dialect, table, columns, rows, conflict) and then
 * reused with fresh parameters: batches write thousands of rows, and building and compiling the same
 * statement's query tree for each chunk cost more than SQLite took to run it. The SQL is the one Kysely
 * compiles for `insertInto(table).values(rows)[.onConflict(…)]`; the parameters are the rows' values, row by
 * row, in column order (checked against Kysely's own the first time each statement is built).
 */
const statements = new Map<string, string>();

function compile(trx: Kysely<any>, table: string, columns: readonly string[], rows: readonly object[], conflict: Conflict): CompiledQuery {
  let query = trx.insertInto(table).values(rows as any);
  if (conflict.kind === 'update') {
    const key = conflict.key;
    const updated = columns.filter((c) => c !== key);
    query = query.onConflict((oc) =>
      oc.column(key).doUpdateSet((eb) => Object.fromEntries(updated.map((c) => [c, eb.ref(`excluded.${c}`)]))),
    );
  } else if (conflict.kind === 'ignore') {
    query = query.onConflict((oc) => oc.columns(conflict.keys as string[]).doNothing());
  }
  return query.compile();
}

async function write(trx: Kysely<any>, table: string, rows: readonly object[], conflict: Conflict): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const dialect = isPostgres(trx) ? 'pg' : 'sqlite';
  const conflictKey = conflict.kind === 'update' ? `u:${conflict.key}` : conflict.kind === 'ignore' ? `i:${conflict.keys.join(',')}` : '';
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const parameters: unknown[] = [];
    // undefined is written as NULL (as Kysely does: none of these columns has a default).
    for (const row of chunk) for (const column of columns) parameters.push((row as Record<string, unknown>)[column] ?? null);
    const cacheKey = `${dialect}\u0000${table}\u0000${columns.join(',')}\u0000${chunk.length}\u0000${conflictKey}`;
    let text = statements.get(cacheKey);
    if (text === undefined) {
      const normalized = chunk.map((row) => Object.fromEntries(columns.map((c) => [c, (row as Record<string, unknown>)[c] ?? null])));
      const compiled = compile(trx, table, columns, normalized, conflict);
      const same = compiled.parameters.length === parameters.length && compiled.parameters.every((p, j) => Object.is(p, parameters[j]));
      if (!same) throw new Error(`bulk insert into ${table}: rows must all have the same columns, in the same order`);
      text = compiled.sql;
      if (statements.size > 1000) statements.clear();
      statements.set(cacheKey, text);
    }
    await trx.executeQuery(CompiledQuery.raw(text, parameters));
  }
}

/** Multi-row INSERT. Every row has the same columns in the same order. */
export function insertRows<R extends object>(trx: Kysely<any>, table: string, rows: readonly R[]): Promise<void> {
  return write(trx, table, rows, { kind: 'none' });
}

/** Multi-row INSERT … ON CONFLICT (key) DO UPDATE SET every other column, portable between SQLite and PostgreSQL. */
export function upsertRows<R extends object>(trx: Kysely<any>, table: string, key: keyof R & string, rows: readonly R[]): Promise<void> {
  return write(trx, table, rows, { kind: 'update', key });
}

/** Multi-row INSERT … ON CONFLICT (keys) DO NOTHING. */
export function insertRowsIgnoring<R extends object>(
  trx: Kysely<any>,
  table: string,
  keys: readonly (keyof R & string)[],
  rows: readonly R[],
): Promise<void> {
  return write(trx, table, rows, { kind: 'ignore', keys });
}
