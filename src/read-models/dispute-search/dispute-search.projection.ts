import { Kysely } from 'kysely';
import { StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { Projection, ProjectionChange, TableNames } from '../../read-side/engine/projection';
import { insertRows } from '../../read-side/engine/bulk-write';
import { DisputeEvent } from '../../disputes/domain/dispute.events';
import {
  createDisputeSearchTables,
  DISPUTE_SEARCH_REBUILD_MIGRATIONS,
  DisputeSearchRow,
  DisputeSearchTable,
} from './dispute-search.tables';
import { indexTerms } from './search-terms';

/** The pieces of text an event adds to its dispute's index (the customer's words: personal data). */
export function searchRowsOf(event: DisputeEvent): DisputeSearchRow[] {
  const id = event.data.disputeId;
  const row = (source: string, ...texts: (string | null | undefined)[]) => {
    const body = texts.filter((t): t is string => !!t).join('\n');
    return body ? [{ source, dispute_id: id, body, terms: indexTerms(body) }] : [];
  };
  switch (event.type) {
    case 'DisputeFiled':
      return row(`description:${id}`, event.data.description);
    case 'NoteAdded':
      return row(`note:${event.data.noteId}`, event.data.text);
    case 'CustomerContactRecorded':
      return row(`contact:${event.data.contactId}`, event.data.summary, event.data.promises);
    case 'EvidenceAttached':
      return row(`evidence:${event.data.evidenceId}`, event.data.description);
    default:
      return [];
  }
}

/** Full-text search over description, notes and contacts (issue 15): rows are only ever added. */
export class DisputeSearchProjection implements Projection<DisputeSearchTable> {
  readonly name = 'dispute-search';
  readonly tables = ['dispute_search'] as const;
  readonly rebuildMigrations = DISPUTE_SEARCH_REBUILD_MIGRATIONS;

  createTables(db: Kysely<any>, names: TableNames<DisputeSearchTable>): Promise<void> {
    return createDisputeSearchTables(db, names);
  }

  async applyBatch(trx: Kysely<any>, events: readonly StoredEvent[], n: TableNames<DisputeSearchTable>): Promise<ProjectionChange[]> {
    const rows: DisputeSearchRow[] = [];
    for (const stored of events) {
      if (!stored.streamId.startsWith('dispute-')) continue;
      rows.push(...searchRowsOf({ type: stored.type, data: stored.data } as DisputeEvent));
    }
    await insertRows(trx, n.dispute_search, rows);
    return [];
  }
}
