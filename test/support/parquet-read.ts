import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';

/** A Parquet file read back with hyparquet (the reader of the writer's authors): its rows as JSON would carry them. */
export async function readParquet(bytes: Uint8Array): Promise<{
  rows: Record<string, unknown>[];
  columns: string[];
  rowGroups: number[];
  types: Record<string, string>;
}> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(file);
  const schema = parquetSchema(metadata);
  const objects = await parquetReadObjects({ file, metadata });
  return {
    rows: objects.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, asJson(v)]))),
    columns: schema.children.map((c) => c.element.name),
    rowGroups: metadata.row_groups.map((g) => Number(g.num_rows)),
    types: Object.fromEntries(
      schema.children.map((c) => [c.element.name, c.element.logical_type?.type ?? c.element.converted_type ?? c.element.type ?? '']),
    ),
  };
}

/** bigint → number, Date → ISO string: the values an NDJSON export holds. */
const asJson = (v: unknown): unknown => (typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : v);

/** An NDJSON row as Parquet keeps it: the same instants, written as ISO-8601 UTC with milliseconds. */
export const normalisedTimes = (row: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, k.endsWith('_at') && typeof v === 'string' ? new Date(v).toISOString() : v]));
