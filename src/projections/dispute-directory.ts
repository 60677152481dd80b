import Database from 'better-sqlite3';
import { DisputeState } from '../disputes/domain/dispute.events';

export interface DisputeListFilter {
  stage?: string;
  status?: string;
  assignee?: string;
  customerId?: string;
}

/** Queries over the dispute-directory read model. */
export class DisputeDirectory {
  constructor(private readonly db: Database.Database) {}

  earlierSameDefect(orderId: string, productSku: string, defectCode: string): number {
    const row = this.db
      .prepare('SELECT COUNT(*) AS n FROM dispute_directory WHERE order_id = ? AND product_sku = ? AND defect_code = ?')
      .get(orderId, productSku, defectCode) as { n: number };
    return row.n;
  }

  compensatedDisputesSince(customerId: string, since: string): number {
    const row = this.db
      .prepare('SELECT COUNT(DISTINCT dispute_id) AS n FROM customer_compensations WHERE customer_id = ? AND compensated_at >= ?')
      .get(customerId, since) as { n: number };
    return row.n;
  }

  /** Newest first; the cursor is opaque to clients. */
  list(filter: DisputeListFilter, limit: number, cursor?: string): { items: DisputeState[]; nextCursor: string | null } {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: limit + 1 };
    if (filter.stage) (where.push('stage = @stage'), (params.stage = filter.stage));
    if (filter.status) (where.push('status = @status'), (params.status = filter.status));
    if (filter.assignee) (where.push('assignee = @assignee'), (params.assignee = filter.assignee));
    if (filter.customerId) (where.push('customer_id = @customerId'), (params.customerId = filter.customerId));
    if (cursor) {
      const [filedAt, id] = decodeCursor(cursor);
      where.push('(filed_at < @cFiled OR (filed_at = @cFiled AND dispute_id < @cId))');
      Object.assign(params, { cFiled: filedAt, cId: id });
    }
    const sql = `SELECT dispute_id, filed_at, state FROM dispute_directory ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                 ORDER BY filed_at DESC, dispute_id DESC LIMIT @limit`;
    const rows = this.db.prepare(sql).all(params) as { dispute_id: string; filed_at: string; state: string }[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => JSON.parse(r.state) as DisputeState),
      nextCursor: rows.length > limit && last ? encodeCursor(last.filed_at, last.dispute_id) : null,
    };
  }
}

export class InvalidCursorError extends Error {}

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
