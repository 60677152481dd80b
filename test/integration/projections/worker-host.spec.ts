import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import { loadConfig } from '../../../src/config/app-config';
import { storeCheckpoint } from '../../../src/read-side/engine/checkpoints';
import { PROJECTIONS } from '../../../src/read-models/registry';
import { WorkerProjectionHost } from '../../../src/read-side/engine/worker/worker-host';
import { migrateReadStore } from '../../../src/read-side/store/migrations';
import { openSqliteReadStore, ReadStore } from '../../../src/read-side/store/read-store';

/**
 * The request thread's side of the projection worker, against a double speaking the same protocol
 * (test/support/fake-projection-worker.js): waits answered from mirrored positions, failing and follower
 * runners, the change feed, and a restart after the worker dies. No timing assertions: only outcomes.
 */
jest.setTimeout(20_000);

const FAKE = join(__dirname, '..', '..', 'support', 'fake-projection-worker.js');
const order = (host: WorkerProjectionHost, name: string) => host.rebuild(name);
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('WorkerProjectionHost', () => {
  let store: ReadStore;
  let host: WorkerProjectionHost;

  beforeEach(async () => {
    store = openSqliteReadStore(null);
    await migrateReadStore(store.db, PROJECTIONS());
    host = new WorkerProjectionHost(loadConfig({ AUTH_JWT_SECRET: 'x'.repeat(32) }), ['disputes'], store.db, FAKE);
    host.start();
    await order(host, 'advance:disputes:0'); // the worker is up and has answered once
  });

  afterEach(async () => {
    await host.stop();
    await store.close();
  });

  it('holds a read-your-writes wait until the worker reports the position, then answers from the mirror', async () => {
    let answer: boolean | undefined;
    void host.waitFor('disputes', 5, 10_000).then((reached) => (answer = reached));
    await order(host, 'advance:disputes:4');
    await settled();
    expect(answer).toBeUndefined();
    await order(host, 'advance:disputes:5');
    await settled();
    expect(answer).toBe(true);
    expect(await host.waitFor('disputes', 3, 10_000)).toBe(true); // already there: answered at once
    const status = (await host.status()) as unknown as Array<{ wakes: number }>;
    expect(status[0].wakes).toBeGreaterThan(0); // the wait woke the worker's runners
  });

  it('gives up at the timeout, and at once for a failing runner', async () => {
    expect(await host.waitFor('disputes', 100, 50)).toBe(false);
    let answer: boolean | undefined;
    void host.waitFor('disputes', 100, 10_000).then((reached) => (answer = reached));
    await order(host, 'fail:disputes');
    await settled();
    expect(answer).toBe(false);
    expect(await host.waitFor('disputes', 100, 10_000)).toBe(false);
  });

  it('follows the stored checkpoint when another instance leads', async () => {
    await order(host, 'follow:disputes');
    await storeCheckpoint(store.db, 'disputes', 42);
    expect(await host.waitFor('disputes', 42, 10_000)).toBe(true);
    expect(await host.waitFor('disputes', 43, 50)).toBe(false);
  });

  it('relays the change feed', async () => {
    const next = firstValueFrom(host.changes$);
    await order(host, 'changes:agent-7');
    expect(await next).toEqual([{ disputeId: 'd-1', assignee: 'agent-7', department: null }]);
  });

  it('reports a dead worker as failing, releases its waiters, and starts a new one', async () => {
    const waiting = host.waitFor('disputes', 100, 10_000);
    await expect(order(host, 'crash')).rejects.toThrow(/exited \(code 3\)/);
    expect(await waiting).toBe(false);
    const down = await host.status();
    expect(down[0].error).toMatch(/not running \(exited with code 3\)/);
    for (let i = 0; i < 100 && (await host.status())[0].error !== null; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await host.status())[0]).toMatchObject({ name: 'disputes', error: null });
    await order(host, 'advance:disputes:7');
    expect(await host.waitFor('disputes', 7, 10_000)).toBe(true);
  });
});
