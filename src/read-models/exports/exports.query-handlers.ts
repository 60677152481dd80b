import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '../../shared/event-sourcing/event-store.port';
import { PSEUDONYMIZER, Pseudonymizer } from '../../privacy/pseudonym';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { READ_STORE, ReadStore } from '../../read-side/store/read-store';
import { ExportDataset, ExportFilter, ExportRow } from './export-dataset';

export interface ExportResult {
  dataset: ExportDataset;
  rows: AsyncIterable<ExportRow>;
}

/** The rows of one dataset, lazily: nothing is read until the caller iterates. */
export class GetExportQuery extends Query<ExportResult> {
  constructor(
    readonly dataset: ExportDataset,
    readonly filter: ExportFilter,
  ) {
    super();
  }
}

/** Lets the read models the exports read reach the log's head as of the request (bounded), then streams. */
@QueryHandler(GetExportQuery)
export class GetExportHandler implements IQueryHandler<GetExportQuery, ExportResult> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(EVENT_STORE) private readonly log: EventStore,
    @Inject(PSEUDONYMIZER) private readonly pseudonyms: Pseudonymizer,
    private readonly engine: ProjectionEngine,
  ) {}

  async execute(query: GetExportQuery): Promise<ExportResult> {
    await Promise.all(['disputes', 'audit', 'penalties'].map((name) => this.engine.waitForHead(name)));
    const ctx = { db: this.store.db, log: this.log, pseudonyms: this.pseudonyms };
    return { dataset: query.dataset, rows: query.dataset.rows(ctx, query.filter) };
  }
}
