import { queryTerms } from '../dispute-search/search-terms';
import { InvalidRequestError } from '../../shared/errors';
import { DisputeState } from '../../disputes/domain/dispute.state';
import { ExpressionBuilder, Kysely, sql } from 'kysely';
import { isPostgres } from '../../read-side/store/read-store';

import { ReadSchema } from '../read-schema';
import { DisputeDirectoryPort, DisputeListFilter } from '../../disputes/application/ports/dispute-directory.port';
import { toIsoInstant } from '../../shared/instants';

export type { DisputeListFilter } from '../../disputes/application/ports/dispute-directory.port';

/** Words of a full-text query (at most this many; each must occur in the case). */
export const MAX_QUERY_WORDS = 8;

export class InvalidCursorError extends InvalidRequestError {}

/** Ownership on the disputes table: the disputes of this department and those that have none (filed before departments were recorded). */
export const visibleInDepartment = (department: string | null) => (eb: ExpressionBuilder<ReadSchema, 'disputes'>) =>
  department === null ? eb('department', 'is', null) : eb.or([eb('department', '=', department), eb('department', 'is', null)]);

/** Queries over the disputes read model: the list, and the cross-dispute facts rules need (the port of `disputes`). */
export class DisputeDirectory implements DisputeDirectoryPort {
  constructor(private readonly db: Kysely<ReadSchema>) {}

  async earlierSameDefect(orderId: string, productSku: string, defectCode: string): Promise<number> {
    const row = await this.db
      .selectFrom('disputes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('order_id', '=', orderId)
      .where('product_sku', '=', productSku)
      .where('defect_code', '=', defectCode)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async earlierSameDefectAt(orderId: string, productSku: string, defectCode: string): Promise<{ count: number; position: number }> {
    // One statement, one snapshot: the count and the checkpoint written in the same transaction as the rows.
    const row = await this.db
      .selectNoFrom((eb) => [
        eb
          .selectFrom('disputes')
          .select((e) => e.fn.countAll<number>().as('n'))
          .where('order_id', '=', orderId)
          .where('product_sku', '=', productSku)
          .where('defect_code', '=', defectCode)
          .as('n'),
        eb.selectFrom('projection_checkpoints').select('position').where('name', '=', 'disputes').as('position'),
      ])
      .executeTakeFirstOrThrow();
    return { count: Number(row.n), position: Number(row.position ?? 0) };
  }

  async compensatedDisputesSince(customerId: string, since: string): Promise<number> {
    const row = await this.db
      .selectFrom('customer_compensations')
      .select((eb) => eb.fn.count<number>('dispute_id').distinct().as('n'))
      .where('customer_id', '=', customerId)
      .where('compensated_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Newest first, with the number of disputes the filter matches; the cursor is opaque to clients. */
  async list(
    filter: DisputeListFilter,
    limit: number,
    cursor?: string,
    now = new Date().toISOString(),
  ): Promise<{ items: DisputeState[]; nextCursor: string | null; total: number }> {
    const filtered = filterDisputes(this.db, filter, now);
    const counted = await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    let query = filtered.select(['dispute_id', 'filed_at', 'state']);
    if (cursor) {
      const [filedAt, id] = decodeCursor(cursor);
      query = query.where((eb) => eb.or([eb('filed_at', '<', filedAt), eb.and([eb('filed_at', '=', filedAt), eb('dispute_id', '<', id)])]));
    }
    const rows = await query
      .orderBy('filed_at', 'desc')
      .orderBy('dispute_id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => JSON.parse(r.state) as DisputeState),
      nextCursor: rows.length > limit && last ? encodeCursor(last.filed_at, last.dispute_id) : null,
      total: Number(counted.n),
    };
  }
}

/** The list's filters, ownership included, over the disputes table (and the full-text index for `q`). */
function filterDisputes(db: Kysely<ReadSchema>, filter: DisputeListFilter, now: string) {
  let query = db.selectFrom('disputes');
  const equal = { stage: 'stage', status: 'status', assignee: 'assignee', customerId: 'customer_id', orderId: 'order_id' } as const;
  for (const [key, column] of Object.entries(equal)) {
    const value = filter[key as keyof typeof equal];
    if (value) query = query.where(column, '=', value);
  }
  const more = {
    productSku: 'product_sku',
    channel: 'channel',
    category: 'category',
    priority: 'priority',
    department: 'department',
  } as const;
  for (const [key, column] of Object.entries(more)) {
    const value = filter[key as keyof typeof more];
    if (value) query = query.where(column, '=', value);
  }
  if (filter.visibleDepartment !== undefined) query = query.where(visibleInDepartment(filter.visibleDepartment));
  if (filter.filedFrom) query = query.where('filed_at', '>=', toIsoInstant(filter.filedFrom));
  if (filter.filedTo) query = query.where('filed_at', '<', toIsoInstant(filter.filedTo));
  if (filter.dueBefore) query = query.where('due_at', '<', toIsoInstant(filter.dueBefore));
  if (filter.slaState === 'breached') query = query.where('due_at', '<', now);
  if (filter.slaState === 'at_risk')
    query = query.where('at_risk_at', '<', now).where((eb) => eb.or([eb('due_at', 'is', null), eb('due_at', '>=', now)]));
  if (filter.slaState === 'ok')
    query = query
      .where((eb) => eb.or([eb('due_at', 'is', null), eb('due_at', '>=', now)]))
      .where((eb) => eb.or([eb('at_risk_at', 'is', null), eb('at_risk_at', '>=', now)]));
  for (const word of queryWords(filter.q ?? '')) query = query.where('dispute_id', 'in', matching(db, word));
  return query;
}

/** The words of a full-text query: split on whitespace, at most MAX_QUERY_WORDS. */
export const queryWords = (q: string) => q.split(/\s+/).filter(Boolean).slice(0, MAX_QUERY_WORDS);

/**
 * Disputes one of whose pieces of text holds the word (SQLite FTS5 phrase; PostgreSQL phrase tsquery, 'simple'),
 * searched as the index stores it: a CJK word as the phrase of its bigrams, one CJK character as a prefix.
 */
function matching(db: Kysely<ReadSchema>, word: string) {
  const pieces = db.selectFrom('dispute_search').select('dispute_search.dispute_id');
  const { tokens, prefix } = queryTerms(word);
  const phrase = tokens.join(' ');
  if (isPostgres(db)) {
    const query = prefix ? sql`(phraseto_tsquery('simple', ${phrase})::text || ':*')::tsquery` : sql`phraseto_tsquery('simple', ${phrase})`;
    return pieces.where(sql<boolean>`tsv @@ ${query}`);
  }
  return pieces.where(sql<boolean>`dispute_search MATCH ${`"${phrase.replace(/"/g, '""')}"${prefix ? '*' : ''}`}`);
}

const encodeCursor = (filedAt: string, id: string) => Buffer.from(JSON.stringify([filedAt, id])).toString('base64url');
function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return value as [string, string];
  } catch {
    /* fall through */
  }
  throw new InvalidCursorError('cursor is not one this service issued');
}
