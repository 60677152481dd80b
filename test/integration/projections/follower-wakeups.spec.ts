import { InMemoryEventStore } from '../../../src/event-store/in-memory-event-store';
import { PROJECTIONS } from '../../../src/read-models/registry';
import { ProjectionLock } from '../../../src/read-side/engine/lock';
import { ProjectionRunner } from '../../../src/read-side/engine/runner';
import { sqliteReadStore, TestReadStore } from '../../support/read-stores';

/**
 * Issue 19 (found with three instances on PostgreSQL): a follower (another instance holds the projection's lock)
 * was woken by every new event in the log and each time retried the lock and re-read the stored checkpoint. It
 * must try again on its own timer only, and still stop at once.
 */
describe('a projection runner that does not hold the lock', () => {
  let read: TestReadStore;
  afterAll(async () => read?.cleanup());

  it('is not woken by new events, retries on its timer, and stops at once', async () => {
    read = await sqliteReadStore();
    let tries = 0;
    const heldElsewhere: ProjectionLock = {
      tryAcquire: async () => (tries++, false),
      holds: () => false,
      release: async () => undefined,
    };
    const runner = new ProjectionRunner(read.store.db, new InMemoryEventStore(), PROJECTIONS()[0], {
      lock: heldElsewhere,
      lockRetryMs: 60_000,
    });
    runner.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(tries).toBe(1);
    for (let n = 0; n < 50; n++) {
      runner.notify(); // what every append in any instance does
      await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(tries).toBe(1);
    const started = Date.now();
    await runner.stop();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
