import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openSqliteEventStore } from '../../../src/event-store/sqlite-event-store';
import { EventStore } from '../../../src/shared/event-sourcing/event-store.port';
import { Pseudonymizer } from '../../../src/privacy/pseudonym';
import { eventsDataset } from '../../../src/read-models/exports/log-datasets';
import { formatRows } from '../../../src/read-models/exports/export-format';
import { ExportRow } from '../../../src/read-models/exports/export-dataset';
import { fillExportVolume } from '../../support/export-volume';
import { removeDir } from '../../support/test-app';
import { sqliteReadStore, TestReadStore } from '../../support/read-stores';

/** EXPORT_MEMORY_ROWS overrides the volume (the bench runs 1,000,000: bench/export.js). */
const ROWS = Number(process.env.EXPORT_MEMORY_ROWS ?? 250_000);
const MB = 1024 * 1024;

/** A full garbage collection, as `node --expose-gc` gives it (jest runs without the flag). */
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/**
 * Constant memory: the event log export of ROWS events (hundreds of MB of output) through a consumer that reads
 * slowly. The live memory may not grow with the volume: after a warm-up its peak stays within a fixed bound, far
 * below the size of what was exported.
 */
describe('export memory', () => {
  let read: TestReadStore;
  let log: EventStore;
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-export-mem-'));

  beforeAll(async () => {
    read = await sqliteReadStore(dir);
    await fillExportVolume(dir, ROWS);
    log = openSqliteEventStore(dir, { writerThread: false });
  }, 120_000);
  afterAll(async () => {
    await log?.close();
    await read.cleanup();
    removeDir(dir);
  });

  it.each(['ndjson', 'csv'] as const)(
    `streams ${ROWS} events as %s with a live memory that does not grow, with backpressure`,
    async (format) => {
      const ctx = { db: read.store.db, log, pseudonyms: new Pseudonymizer(Buffer.alloc(32, 7)) };
      const stream = formatRows(eventsDataset.rows(ctx, {}), eventsDataset.columns, format);
      let bytes = 0;
      let lines = 0;
      let writes = 0;
      let baseline = 0;
      let peak = 0;
      let peakFirstHalf = 0;
      const SAMPLE_EVERY = Math.ceil(ROWS / 16);
      let nextSample = SAMPLE_EVERY;
      const sink = new Writable({
        highWaterMark: 16 * 1024,
        write(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
          writes++;
          // What stays alive (heap and buffers after a full collection), sampled 16 times over the export: RSS
          // under jest moved by 40-100 MB with the collector's timing alone (a loaded machine, a large test
          // process), and a full collection of jest's heap late in the suite takes a second or more.
          if (lines >= nextSample) {
            nextSample += SAMPLE_EVERY;
            gc();
            const { heapUsed, external } = process.memoryUsage();
            const live = heapUsed + external;
            if (lines >= Math.min(50_000, ROWS / 4) && baseline === 0) baseline = live;
            peak = Math.max(peak, live);
          }
          if (lines < ROWS / 2) peakFirstHalf = peak;
          // A slow reader: every 64th write waits a tick of the timer queue, so the producer must hold back.
          if (writes % 64 === 0) setTimeout(done, 0);
          else done();
        },
      });
      await pipeline(stream, sink);
      expect(lines).toBe(format === 'csv' ? ROWS + 1 : ROWS);
      expect(bytes).toBeGreaterThan(ROWS * 150);
      const growth = (peak - baseline) / MB;
      const secondHalf = (peak - peakFirstHalf) / MB;
      process.stdout.write(
        `${format}: ${ROWS} rows, ${(bytes / MB).toFixed(0)} MB out, live after warm-up ${(baseline / MB).toFixed(0)} MB, ` +
          `peak +${growth.toFixed(1)} MB, second half +${secondHalf.toFixed(1)} MB\n`,
      );
      // Not growing with the volume: nothing more stays alive over the second half of the export than over the
      // first (holding the output would add 30-47 MB there, twice that as JS strings). The bound on the whole is
      // looser: late in the full suite, another suite's leftovers in this process once added a one-off 78 MB
      // step early in the export (standalone: +0.1-1.3 MB), still below the output held as strings (120-190 MB).
      expect(baseline).toBeGreaterThan(0);
      expect(secondHalf).toBeLessThan(10);
      expect(growth).toBeLessThan(100);
    },
    300_000,
  );

  it(`streams ${ROWS} events as Parquet (row groups of 10,000) with a live heap that does not grow, with backpressure`, async () => {
    // RSS is too coarse here: under jest the heap's slack after a row group's garbage varies by ~100-200 MB. What
    // must not grow is what stays alive: the heap after a full collection, sampled at every chunk written.
    const ctx = { db: read.store.db, log, pseudonyms: new Pseudonymizer(Buffer.alloc(32, 7)) };
    let pulled = 0;
    async function* counted(rows: AsyncIterable<ExportRow>): AsyncGenerator<ExportRow> {
      for await (const row of rows) {
        pulled++;
        yield row;
      }
    }
    let first: Buffer | undefined;
    let last: Buffer | undefined;
    let bytes = 0;
    let writes = 0;
    let baseline = 0;
    let peak = 0;
    let peakFirstHalf = 0;
    const sink = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        first ??= chunk;
        last = chunk;
        writes++;
        gc();
        const live = process.memoryUsage().heapUsed;
        if (pulled >= Math.min(50_000, ROWS / 4) && baseline === 0) baseline = live;
        peak = Math.max(peak, live);
        if (pulled < ROWS / 2) peakFirstHalf = peak;
        // A slow reader: every other write waits a tick of the timer queue, so the writer must hold back.
        if (writes % 2 === 0) setTimeout(done, 0);
        else done();
      },
    });
    await pipeline(formatRows(counted(eventsDataset.rows(ctx, {})), eventsDataset.columns, 'parquet'), sink);
    expect(pulled).toBe(ROWS);
    expect(first!.subarray(0, 4).toString()).toBe('PAR1');
    expect(last!.subarray(-4).toString()).toBe('PAR1');
    expect(baseline).toBeGreaterThan(0);
    const growth = (peak - baseline) / MB;
    const secondHalf = (peak - peakFirstHalf) / MB;
    process.stdout.write(
      `parquet: ${ROWS} rows, ${(bytes / MB).toFixed(0)} MB out in ${writes} chunks, live heap after warm-up ` +
        `${(baseline / MB).toFixed(0)} MB, peak +${growth.toFixed(1)} MB, second half +${secondHalf.toFixed(1)} MB\n`,
    );
    // A row group of 10,000 rows and its encoded pages: ~10-20 MB alive at most; holding the file would add its size.
    expect(growth).toBeLessThan(30);
    expect(secondHalf).toBeLessThan(10);
  }, 300_000);
});
