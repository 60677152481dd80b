import { Kysely, sql } from 'kysely';
import { TableNames } from '../../read-side/engine/projection';
import { isPostgres } from '../../read-side/store/read-store';

/**
 * The full-text index of the case workspace (issue 15): one row per piece of text of a dispute (the complaint's
 * description, each note, each contact, each evidence description), `source` naming the piece (e.g.
 * `note:<noteId>`) so erasure can find it. SQLite: an FTS5 table (unicode61 tokenizer); PostgreSQL: a
 * `tsvector` generated column ('simple' configuration) with a GIN index. Both index `terms`, the body with
 * its CJK runs as bigrams (search-terms.ts), so a Chinese word inside a sentence is found.
 */
export type DisputeSearchTable = 'dispute_search';

export interface DisputeSearchRow {
  source: string;
  dispute_id: string;
  body: string;
  /** What is indexed: indexTerms(body). */
  terms: string;
}

export interface DisputeSearchSchema {
  dispute_search: DisputeSearchRow;
}

/** 008: the CJK bigram terms (an index built before it is rebuilt from the log). */
export const DISPUTE_SEARCH_REBUILD_MIGRATIONS = ['007_dispute_search', '008_dispute_search_cjk_terms'] as const;

export async function createDisputeSearchTables(db: Kysely<any>, n: TableNames<DisputeSearchTable>): Promise<void> {
  const table = sql.table(n.dispute_search);
  if (isPostgres(db)) {
    await sql`CREATE TABLE IF NOT EXISTS ${table} (
      source text PRIMARY KEY,
      dispute_id text NOT NULL,
      body text NOT NULL,
      terms text NOT NULL,
      tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED
    )`.execute(db);
    await sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${n.dispute_search}_tsv`)} ON ${table} USING GIN (tsv)`.execute(db);
    await sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${n.dispute_search}_dispute`)} ON ${table} (dispute_id)`.execute(db);
  } else {
    await sql`CREATE VIRTUAL TABLE IF NOT EXISTS ${table} USING fts5(
      source UNINDEXED, dispute_id UNINDEXED, body UNINDEXED, terms, tokenize = 'unicode61 remove_diacritics 2'
    )`.execute(db);
  }
}
