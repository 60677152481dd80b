import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '../../../src/event-store/sqlite-event-store';
import { writeRandomHistory } from '../../support/random-history';
import { removeDir, startTestApp, TestApp } from '../../support/test-app';

jest.setTimeout(120_000);

/**
 * With the embedded stores every await inside a projection batch resolves at once: a catch-up loop that never
 * yields would hold the event loop until the head (a new instance over a long log would not even listen).
 */
describe('projections catching up a long log leave the service answering', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-catchup-'));
  let t: TestApp | undefined;
  afterAll(async () => {
    await t?.close();
    removeDir(dataDir);
  });

  it('answers /health while the projections are still behind the log', async () => {
    const log = openSqliteEventStore(dataDir);
    await writeRandomHistory(log, { commands: 20_000, seed: 5 });
    const head = await log.headPosition();
    await log.close();

    t = await startTestApp({ dataDir });
    const first = await t.http.get('/health');
    const behind = (first.body.projections as { name: string; position: number }[]).filter((p) => p.position < head);
    expect(behind.length).toBeGreaterThan(0);

    // And they do get there.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const h = await t.http.get('/health');
      if ((h.body.projections as { position: number }[]).every((p) => p.position === head)) break;
      if (Date.now() > deadline) throw new Error(`projections did not reach ${head}: ${JSON.stringify(h.body.projections)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
});
