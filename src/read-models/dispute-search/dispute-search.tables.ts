import { Kysely, sql } from 'kysely';
import { TableNames } from '../../read-side/engine/projection';
import { isPostgres } from '../../read-side/store/read-store';

/**
 * The full-text index of the case workspace (issue 15): one row per piece of text of a dispute (the complaint's
 * description, each note, each contact, each evidence description), `source` naming the piece (e.g.
 * `note:<noteId>`) so erasure can find it. SQLite: an FTS5 table (unicode61 tokenizer); PostgreSQL: a
 * `tsvector` generated column ('simple' configuration) with a GIN index.
 */
export type DisputeSearchTable = 'dispute_search';

export interface DisputeSearchRow {
  source: string;
  dispute_id: string;
  body: string;
}

export interface DisputeSearchSchema {
  dispute_search: DisputeSearchRow;
}

export const DISPUTE_SEARCH_REBUILD_MIGRATIONS = ['007_dispute_search'] as const;

export async function createDisputeSearchTables(db: Kysely<any>, n: TableNames<DisputeSearchTable>): Promise<void> {
  const table = sql.table(n.dispute_search);
  if (isPostgres(db)) {
    await sql`CREATE TABLE IF NOT EXISTS ${table} (
      source text PRIMARY KEY,
      dispute_id text NOT NULL,
      body text NOT NULL,
      tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED
    )`.execute(db);
    await sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${n.dispute_search}_tsv`)} ON ${table} USING GIN (tsv)`.execute(db);
    await sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${n.dispute_search}_dispute`)} ON ${table} (dispute_id)`.execute(db);
  } else {
    await sql`CREATE VIRTUAL TABLE IF NOT EXISTS ${table} USING fts5(
      source UNINDEXED, dispute_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2'
    )`.execute(db);
  }
}
