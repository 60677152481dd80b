import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import { ExportRow } from './export-dataset';
import { parquetRows } from './export-parquet';

export const EXPORT_FORMATS = ['ndjson', 'csv', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPE: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
};

/** `?format=` wins; else `Accept: text/csv` asks for CSV, `Accept: application/vnd.apache.parquet` Parquet; NDJSON otherwise. */
export function negotiateFormat(format: ExportFormat | undefined, accept: string | undefined): ExportFormat {
  if (format) return format;
  if (accept !== undefined && /\bapplication\/vnd\.apache\.parquet\b/i.test(accept)) return 'parquet';
  return accept !== undefined && /\btext\/csv\b/i.test(accept) ? 'csv' : 'ndjson';
}

const LINES_PER_CHUNK = 200;

/**
 * The rows as a byte stream: NDJSON (one JSON object a line, keys in column order) or CSV (RFC 4180, a header
 * line, empty field for null, booleans as true/false) or Parquet (typed columns, row groups: export-parquet.ts). The source is pulled only as the consumer reads
 * (Readable.from over an async iterator), so a slow client holds the database reads back: memory stays bounded.
 */
export function formatRows(rows: AsyncIterable<ExportRow>, columns: readonly string[], format: ExportFormat): Readable {
  if (format === 'ndjson') return Readable.from(ndjsonChunks(rows, columns), { objectMode: false, highWaterMark: 64 * 1024 });
  if (format === 'parquet') return parquetRows(rows, columns);
  const csv = stringify({
    header: true,
    columns: [...columns],
    cast: { boolean: (value) => (value ? 'true' : 'false') },
  });
  pipeline(Readable.from(rows), csv, () => undefined); // an error destroys `csv`, which the consumer sees
  return csv;
}

async function* ndjsonChunks(rows: AsyncIterable<ExportRow>, columns: readonly string[]): AsyncGenerator<string> {
  let chunk = '';
  let n = 0;
  for await (const row of rows) {
    const ordered: ExportRow = {};
    for (const c of columns) ordered[c] = row[c] ?? null;
    chunk += `${JSON.stringify(ordered)}\n`;
    if (++n === LINES_PER_CHUNK) {
      yield chunk;
      chunk = '';
      n = 0;
    }
  }
  if (chunk) yield chunk;
}
