import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pipeline } from 'node:stream/promises';
import { openSqliteEventStore } from '../../../src/event-store/sqlite-event-store';
import { EventStore } from '../../../src/shared/event-sourcing/event-store.port';
import { Pseudonymizer } from '../../../src/privacy/pseudonym';
import { eventsDataset } from '../../../src/read-models/exports/log-datasets';
import { formatRows } from '../../../src/read-models/exports/export-format';
import { fillExportVolume } from '../../support/export-volume';
import { removeDir } from '../../support/test-app';
import { sqliteReadStore, TestReadStore } from '../../support/read-stores';

/** A full garbage collection, as `node --expose-gc` would give it (jest runs without the flag). */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** EXPORT_MEMORY_ROWS overrides the volume (the bench runs 1,000,000: bench/export.js). */
const ROWS = Number(process.env.EXPORT_MEMORY_ROWS ?? 250_000);
const MB = 1024 * 1024;

/**
 * Constant memory: the event log export of ROWS events (hundreds of MB of output) through a consumer that reads
 * slowly. RSS may not grow with the volume: after a warm-up its peak stays within a fixed bound, far below the
 * size of what was exported.
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
    `streams ${ROWS} events as %s under a fixed RSS, with backpressure`,
    async (format) => {
      const ctx = { db: read.store.db, log, pseudonyms: new Pseudonymizer(Buffer.alloc(32, 7)) };
      const stream = formatRows(eventsDataset.rows(ctx, {}), eventsDataset.columns, format);
      let bytes = 0;
      let lines = 0;
      let writes = 0;
      let baseline = 0;
      let peak = 0;
      let peakFirstHalf = 0;
      const sink = new Writable({
        highWaterMark: 16 * 1024,
        write(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
          writes++;
          // Sampled after a full collection every 256 writes: what the export holds, not the garbage the
          // collector has not come round to yet (its timing on a loaded machine made the peak vary by 60 MB).
          if (writes % 256 !== 0) return void (writes % 64 === 0 ? setTimeout(done, 0) : done());
          collectGarbage();
          const rss = process.memoryUsage().rss;
          if (lines >= Math.min(50_000, ROWS / 4) && baseline === 0) baseline = rss;
          peak = Math.max(peak, rss);
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
        `${format}: ${ROWS} rows, ${(bytes / MB).toFixed(0)} MB out, RSS after warm-up ${(baseline / MB).toFixed(0)} MB, ` +
          `peak +${growth.toFixed(0)} MB, second half +${secondHalf.toFixed(0)} MB\n`,
      );
      // Bounded and not growing with the volume (holding the output would add well over its size: 60-95 MB of
      // bytes, twice that as JS strings); the margins absorb the garbage collector's timing on a busy machine.
      expect(growth).toBeLessThan(80);
      expect(secondHalf).toBeLessThan(40);
    },
    300_000,
  );
});
