import { InvalidRequestError } from '../../shared/errors';
import { DisputeState } from '../../disputes/domain/dispute.state';
import { ExpressionBuilder, Kysely } from 'kysely';

import { ReadSchema } from '../read-schema';

export interface DisputeListFilter {
  stage?: string;
  status?: string;
  assignee?: string;
  customerId?: string;
  /** Ownership: only the disputes of this department and those that have none (absent: every department). */
  visibleDepartment?: string | null;
}

export class InvalidCursorError extends InvalidRequestError {}

/** Ownership on the disputes table: the disputes of this department and those that have none (filed before departments were recorded). */
export const visibleInDepartment = (department: string | null) => (eb: ExpressionBuilder<ReadSchema, 'disputes'>) =>
  department === null ? eb('department', 'is', null) : eb.or([eb('department', '=', department), eb('department', 'is', null)]);

export const DIRECTORY = Symbol('DIRECTORY');

/** Queries over the disputes read model: the list, and the cross-dispute facts rules need. */
export class DisputeDirectory {
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

  async compensatedDisputesSince(customerId: string, since: string): Promise<number> {
    const row = await this.db
      .selectFrom('customer_compensations')
      .select((eb) => eb.fn.count<number>('dispute_id').distinct().as('n'))
      .where('customer_id', '=', customerId)
      .where('compensated_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Newest first; the cursor is opaque to clients. */
  async list(filter: DisputeListFilter, limit: number, cursor?: string): Promise<{ items: DisputeState[]; nextCursor: string | null }> {
    let query = this.db.selectFrom('disputes').select(['dispute_id', 'filed_at', 'state']);
    if (filter.stage) query = query.where('stage', '=', filter.stage);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.assignee) query = query.where('assignee', '=', filter.assignee);
    if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
    if (filter.visibleDepartment !== undefined) query = query.where(visibleInDepartment(filter.visibleDepartment));
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
    };
  }
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
