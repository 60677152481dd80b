import { PassThrough, Readable, Writable } from 'node:stream';
import { ByteWriter, parquetWriteRows } from 'hyparquet-writer';
import type { BasicType } from 'hyparquet-writer';
import { ExportRow } from './export-dataset';

/** Rows per Parquet row group: what the writer holds (rows and their encoded pages) at a time. */
export const PARQUET_ROW_GROUP = 10_000;

/**
 * The Parquet type of each export column, by name (a name means the same in every dataset, docs/analytics.md):
 * integers as INT64, times as TIMESTAMP (milliseconds, UTC), JSON texts as JSON, the rest as UTF-8 strings. Every
 * column is nullable. A column missing here is a string: the round-trip test fails if its values are not.
 */
const INTEGER = new Set([
  'version',
  'reopenings',
  'feedback_score',
  'first_response_seconds',
  'amount',
  'amount_claimed',
  'points',
  'position',
  'score',
  'seq',
  'revision',
  'schema_version',
]);
const DOUBLE = new Set(['duration_seconds']);
const BOOLEAN = new Set(['repeat_defect']);
const JSON_TEXT = new Set(['data', 'actions', 'actor_roles']);

export function parquetTypeOf(column: string): BasicType {
  if (INTEGER.has(column)) return 'INT64';
  if (DOUBLE.has(column)) return 'DOUBLE';
  if (BOOLEAN.has(column)) return 'BOOLEAN';
  if (JSON_TEXT.has(column)) return 'JSON';
  if (column.endsWith('_at')) return 'TIMESTAMP';
  return 'STRING';
}

type ParquetValue = string | number | boolean | bigint | Date | null;

/** One export value as the column's Parquet type takes it; a value of another type is refused, naming the column. */
function toParquet(column: string, type: BasicType, value: ExportRow[string] | undefined): ParquetValue {
  if (value === null || value === undefined) return null;
  const refuse = () => new TypeError(`parquet export: column ${column} (${type}) cannot hold ${JSON.stringify(value)}`);
  switch (type) {
    case 'INT64':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw refuse();
      return BigInt(value);
    case 'DOUBLE':
      if (typeof value !== 'number') throw refuse();
      return value;
    case 'BOOLEAN':
      if (typeof value !== 'boolean') throw refuse();
      return value;
    case 'TIMESTAMP': {
      const time = typeof value === 'string' ? Date.parse(value) : NaN;
      if (Number.isNaN(time)) throw refuse();
      return new Date(time);
    }
    default:
      if (typeof value !== 'string') throw refuse();
      return value;
  }
}

/**
 * The hyparquet writer's byte sink over a Node stream: after each row group the writer calls `flush`, which hands
 * the group's bytes to the stream and, when the stream is full, holds the next group back until it drains.
 */
class StreamSink extends ByteWriter {
  constructor(private readonly out: Writable) {
    super(1 << 20);
  }

  /** The bytes written since the last flush, handed to the stream; true when it can take more now. */
  private handOver(): boolean {
    if (this.index === 0) return true;
    const chunk = Buffer.from(this.buffer.slice(0, this.index));
    this.index = 0;
    return this.out.write(chunk);
  }

  flush(): Promise<void> | undefined {
    if (this.handOver()) return undefined;
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        this.out.off('drain', done);
        this.out.off('close', closed);
        if (error) reject(error);
        else resolve();
      };
      const closed = () => done(new Error('parquet export: the stream closed before the file was written'));
      this.out.once('drain', done);
      this.out.once('close', closed);
    });
  }

  /** The footer: the last bytes, then the end (the stream buffers them whatever its fill). */
  override finish(): void {
    this.handOver();
    this.out.end();
  }
}

/**
 * The rows as a Parquet file streamed in row groups of PARQUET_ROW_GROUP rows (hyparquet-writer, Snappy): the
 * source is pulled one group at a time and each group written before the next is read, so memory stays bounded
 * by the group size whatever the dataset's. An error destroys the stream, which the consumer sees.
 */
export function parquetRows(
  rows: AsyncIterable<ExportRow>,
  columns: readonly string[],
  { rowGroupSize = PARQUET_ROW_GROUP, highWaterMark = 1 << 20 }: { rowGroupSize?: number; highWaterMark?: number } = {},
): Readable {
  const out = new PassThrough({ highWaterMark });
  const types = columns.map((name) => ({ name, type: parquetTypeOf(name) }));
  async function* converted(): AsyncGenerator<Record<string, ParquetValue>> {
    for await (const row of rows) {
      const record: Record<string, ParquetValue> = {};
      for (const { name, type } of types) record[name] = toParquet(name, type, row[name]);
      yield record;
    }
  }
  Promise.resolve(
    parquetWriteRows({
      writer: new StreamSink(out),
      rows: converted(),
      columns: types.map(({ name, type }) => ({ name, type, nullable: true })),
      rowGroupSize,
      createdBy: 'casetrail (hyparquet-writer)',
    }),
  ).catch((error: Error) => out.destroy(error));
  return out;
}
