import { DisputeState } from '../../domain/dispute.state';
import { DisputeFacts } from './dispute-facts.port';

/** The filters of GET /disputes, ownership included (the read side turns them into a query). */
export interface DisputeListFilter {
  stage?: string;
  status?: string;
  assignee?: string;
  customerId?: string;
  /** Ownership: only the disputes of this department and those that have none (absent: every department). */
  visibleDepartment?: string | null;
  // Search (issue 15).
  orderId?: string;
  productSku?: string;
  channel?: string;
  category?: string;
  priority?: string;
  department?: string;
  /** Filed at or after / before these moments (ISO-8601). */
  filedFrom?: string;
  filedTo?: string;
  /** The queue's due time (the running clock the dispute is worked by) before this moment. */
  dueBefore?: string;
  /** As the queues judge it now: breached past the due time, at risk past the at-risk time, else ok. */
  slaState?: 'ok' | 'at_risk' | 'breached';
  /** Full text over the description, notes, contacts and evidence descriptions: every word must occur in the case. */
  q?: string;
}

export interface DisputePage {
  items: DisputeState[];
  /** Opaque to clients. */
  nextCursor: string | null;
  total: number;
}

/**
 * The disputes list and the cross-dispute facts, as this context needs them. Owned by `disputes`; the disputes
 * read model implements it (src/read-models/disputes/dispute-directory.ts) and provides it under DIRECTORY.
 */
export interface DisputeDirectoryPort extends DisputeFacts {
  /** Newest first, with the number of disputes the filter matches. */
  list(filter: DisputeListFilter, limit: number, cursor?: string, now?: string): Promise<DisputePage>;
  /**
   * Earlier disputes on the same order line with the same defect code, and the log position the disputes read
   * model stood at for that count (read in one statement, so the two belong together).
   */
  earlierSameDefectAt(orderId: string, productSku: string, defectCode: string): Promise<{ count: number; position: number }>;
}

export const DIRECTORY = Symbol('DIRECTORY');
