import { Kysely } from 'kysely';
import { EventStore } from '../../shared/event-sourcing/event-store.port';
import { Pseudonymizer } from '../../privacy/pseudonym';
import { ReadSchema } from '../read-schema';

/** Filters every export takes; `after` resumes after the row whose cursor column held that value. */
export interface ExportFilter {
  /** Inclusive lower bound (ISO-8601 UTC) on the dataset's period column. */
  from?: string;
  /** Exclusive upper bound. */
  to?: string;
  department?: string;
  after?: string;
  /** At most this many rows (the whole dataset when absent). */
  limit?: number;
}

export type ExportRow = Record<string, string | number | boolean | null>;

export interface ExportContext {
  db: Kysely<ReadSchema>;
  log: EventStore;
  pseudonyms: Pseudonymizer;
}

/**
 * One exportable dataset: fixed columns (the CSV header, the NDJSON keys), the column a resume cursor names,
 * the column the period filter applies to, and the rows in cursor order, read page by page (keyset pagination:
 * memory stays constant whatever the size; the consumer pulls, so a slow client slows the reads down).
 */
export interface ExportDataset {
  name: string;
  description: string;
  columns: readonly string[];
  cursorColumn: string;
  periodColumn: string;
  rows(ctx: ExportContext, filter: ExportFilter): AsyncIterable<ExportRow>;
}

export const EXPORT_PAGE = 1000;

/** Rows of pages fetched one after the other until a short page, stopping after `limit` rows. */
export async function* paged<T>(
  fetch: (after: string | undefined, size: number) => Promise<T[]>,
  keyOf: (row: T) => string,
  after: string | undefined,
  pageSize = EXPORT_PAGE,
): AsyncGenerator<T> {
  let cursor = after;
  for (;;) {
    const page = await fetch(cursor, pageSize);
    for (const row of page) yield row;
    if (page.length < pageSize) return;
    cursor = keyOf(page[page.length - 1]);
  }
}

/** Stops an iterable after `limit` items (absent: never). */
export async function* limited<T>(rows: AsyncIterable<T>, limit: number | undefined): AsyncGenerator<T> {
  if (limit === undefined) return yield* rows;
  if (limit <= 0) return;
  let n = 0;
  for await (const row of rows) {
    yield row;
    if (++n >= limit) return;
  }
}
