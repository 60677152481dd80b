import { loadConfig } from '../config/app-config';
import { createEventStore } from '../event-store/event-store.module';
import { EventStore } from '../shared/event-sourcing/event-store.port';
import { ReadStore } from '../read-store/read-store';
import { ProjectionRunner } from './projection-engine';
import { lockFor } from './projection-lock';
import { PROJECTIONS } from './projection-engine.service';
import { openReadStore } from './projections.module';

/**
 * Runs every projection of DATA_DIR (or DATABASE_URL) up to the head of the log, then exits; prints
 * `position <n>` after each batch. Used to catch read models up offline, and by the crash test.
 */
async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET ?? 'projector-needs-no-tokens' });
  const log = createEventStore(config, { writerThread: false });
  const readStore = await openReadStore(config);
  const batchSize = Number(process.env.PROJECTOR_BATCH_SIZE ?? 1000);
  if (process.env.PROJECTOR_FOLLOW === '1') return follow(log, readStore, batchSize);
  try {
    for (const projection of PROJECTIONS()) {
      const runner = new ProjectionRunner(readStore.db, log, projection, { batchSize });
      runner.changes$.subscribe(() => process.stdout.write(`${projection.name} position ${runner.position}\n`));
      const sub = setInterval(() => process.stdout.write(`${projection.name} position ${runner.position}\n`), 50);
      await runner.catchUp();
      clearInterval(sub);
      process.stdout.write(`${projection.name} done ${runner.position}\n`);
    }
  } finally {
    await readStore.close();
    await log.close();
  }
}

/**
 * Follow mode: keep tailing like an app instance would, each projection only while this process holds its
 * lock; prints `leader <name>` when it takes one. Stops on SIGTERM.
 */
async function follow(log: EventStore, readStore: ReadStore, batchSize: number): Promise<void> {
  const lock = lockFor(readStore.pool);
  const runners = PROJECTIONS().map((p) => new ProjectionRunner(readStore.db, log, p, { batchSize, lock, pollIntervalMs: 50, lockRetryMs: 200 }));
  runners.forEach((r) => r.start());
  const announced = new Set<string>();
  const timer = setInterval(async () => {
    for (const status of await Promise.all(runners.map((r) => r.status()))) {
      if (status.leader && !announced.has(status.name)) {
        announced.add(status.name);
        process.stdout.write(`leader ${status.name}\n`);
      }
    }
  }, 50);
  await new Promise<void>((resolve) => process.once('SIGTERM', resolve));
  clearInterval(timer);
  await Promise.all(runners.map((r) => r.stop()));
  await readStore.close();
  await log.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
