import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportRow } from '../../../src/read-models/exports/export-dataset';
import { eventsDataset } from '../../../src/read-models/exports/log-datasets';
import { fillExportVolume } from '../../support/export-volume';
import { tokenFor } from '../../support/http-client';
import { sqliteReadStore } from '../../support/read-stores';
import { removeDir, startTestApp, TestApp } from '../../support/test-app';

const ROWS = Number(process.env.EXPORT_HTTP_ROWS ?? 150_000);
const MB = 1024 * 1024;

/**
 * Backpressure through Fastify: a client that reads the event log export slowly holds the server's reads back,
 * so the server's RSS stays flat while ~60 MB go through the socket.
 */
describe('export over HTTP with a slow client', () => {
  let t: TestApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-export-http-'));

  beforeAll(async () => {
    const read = await sqliteReadStore(dataDir);
    await read.cleanup();
    await fillExportVolume(dataDir, ROWS);
    t = await startTestApp({ dataDir });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    removeDir(dataDir);
  });

  it('stops reading the store while the client does not read', async () => {
    let produced = 0;
    const original = eventsDataset.rows;
    const spy = jest.spyOn(eventsDataset, 'rows').mockImplementation((ctx, filter) =>
      (async function* (): AsyncGenerator<ExportRow> {
        for await (const row of original(ctx, filter)) {
          produced++;
          yield row;
        }
      })(),
    );
    try {
      const response = await fetch(`${t.baseUrl}/api/v1/exports/events`, { headers: { authorization: `Bearer ${tokenFor('auditor')}` } });
      const reader = response.body!.getReader();
      await reader.read();
      // The client reads nothing more: the producer must stall once the buffers are full, long before the end.
      let last = -1;
      let still = 0;
      while (still < 5) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        still = produced === last ? still + 1 : 0;
        last = produced;
      }
      process.stdout.write(`http: the producer stalled after ${produced} of ${ROWS} rows while the client paused\n`);
      expect(produced).toBeLessThan(ROWS / 3);
      let lines = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (let i = value.indexOf(10); i >= 0; i = value.indexOf(10, i + 1)) lines++;
      }
      expect(produced).toBe(ROWS);
      expect(lines).toBeGreaterThan(ROWS - 1000);
    } finally {
      spy.mockRestore();
    }
  }, 180_000);

  it(`streams ${ROWS} events to a slow reader under a fixed server RSS`, async () => {
    const response = await fetch(`${t.baseUrl}/api/v1/exports/events`, { headers: { authorization: `Bearer ${tokenFor('auditor')}` } });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let bytes = 0;
    let lines = 0;
    let chunks = 0;
    let peakFirstHalf = 0;
    let peak = 0;
    let warm = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      for (let i = value.indexOf(10); i >= 0; i = value.indexOf(10, i + 1)) lines++;
      const rss = process.memoryUsage().rss; // the server runs in this process
      if (warm === 0 && lines >= 20_000) warm = rss;
      peak = Math.max(peak, rss);
      if (lines < ROWS / 2) peakFirstHalf = peak;
      if (++chunks % 16 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(lines).toBe(ROWS);
    process.stdout.write(
      `http: ${ROWS} rows, ${(bytes / MB).toFixed(0)} MB, RSS after warm-up ${(warm / MB).toFixed(0)} MB, ` +
        `peak +${((peak - warm) / MB).toFixed(0)} MB, second half +${((peak - peakFirstHalf) / MB).toFixed(0)} MB\n`,
    );
    // Holding the 57 MB of output would add well over that; the margins absorb the garbage collector's timing.
    expect((peak - warm) / MB).toBeLessThan(80);
    expect((peak - peakFirstHalf) / MB).toBeLessThan(40);
  }, 180_000);
});
