import { buffer } from 'node:stream/consumers';
import { ExportRow } from '../../../../src/read-models/exports/export-dataset';
import { formatRows } from '../../../../src/read-models/exports/export-format';
import { parquetRows, parquetTypeOf } from '../../../../src/read-models/exports/export-parquet';
import { readParquet } from '../../../support/parquet-read';

const COLUMNS = ['event_id', 'position', 'occurred_at', 'repeat_defect', 'duration_seconds', 'data', 'department'];

async function* generated(n: number): AsyncGenerator<ExportRow> {
  for (let i = 0; i < n; i++)
    yield {
      event_id: `evt-${i}`,
      position: i + 1,
      occurred_at: new Date(Date.UTC(2026, 0, 1) + i * 1500).toISOString(),
      repeat_defect: i % 3 === 0,
      duration_seconds: i % 5 === 0 ? null : i / 4,
      data: JSON.stringify({ n: i }),
      department: i % 7 === 0 ? null : 'after-sales-north',
    };
}

describe('Parquet export (issue 17)', () => {
  it('types each column by name (integers, times, booleans, JSON, text)', () => {
    expect(COLUMNS.map(parquetTypeOf)).toEqual(['STRING', 'INT64', 'TIMESTAMP', 'BOOLEAN', 'DOUBLE', 'JSON', 'STRING']);
  });

  it('writes row groups of the given size that read back as the rows, nulls included', async () => {
    const rows: ExportRow[] = [];
    for await (const row of generated(2_500)) rows.push(row);
    const file = await readParquet(await buffer(parquetRows(generated(2_500), COLUMNS, { rowGroupSize: 1_000 })));
    expect(file.rowGroups).toEqual([1_000, 1_000, 500]);
    expect(file.columns).toEqual(COLUMNS);
    expect(file.types).toMatchObject({ position: 'INT64', occurred_at: 'TIMESTAMP_MILLIS', repeat_defect: 'BOOLEAN', data: 'JSON' });
    expect(file.rows).toEqual(rows);
  });

  it('writes a valid empty file for no rows', async () => {
    const file = await readParquet(await buffer(formatRows(generated(0), COLUMNS, 'parquet')));
    expect(file.rows).toEqual([]);
    expect(file.columns).toEqual(COLUMNS);
  });

  it('pulls the source one row group at a time (a slow reader holds the reads back)', async () => {
    let pulled = 0;
    async function* counted(): AsyncGenerator<ExportRow> {
      for await (const row of generated(20_000)) {
        pulled++;
        yield row;
      }
    }
    const stream = parquetRows(counted(), COLUMNS, { rowGroupSize: 1_000, highWaterMark: 16 * 1024 });
    // Nobody reads: the writer stops once the stream's buffer (16 KiB) is full, a few groups in, far short of 20,000 rows.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pulled).toBeGreaterThan(0);
    expect(pulled).toBeLessThanOrEqual(8_000);
    const file = await readParquet(await buffer(stream));
    expect(file.rows).toHaveLength(20_000);
    expect(pulled).toBe(20_000);
  });

  it('refuses a value its column cannot hold, naming the column (the stream errors)', async () => {
    async function* bad(): AsyncGenerator<ExportRow> {
      yield { event_id: 'e', position: 1.5, occurred_at: null, repeat_defect: null, duration_seconds: null, data: null, department: null };
    }
    await expect(buffer(parquetRows(bad(), COLUMNS))).rejects.toThrow(/column position \(INT64\) cannot hold 1.5/);
  });
});
