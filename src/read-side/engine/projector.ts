import { AppConfig, loadConfig } from '../../config/app-config';
import { createEventStore } from '../../event-store/event-store.module';
import { EventStore } from '../../shared/event-sourcing/event-store.port';
import { ReadStore } from '../store/read-store';
import { Projection } from './projection';
import { ProjectionRunner } from './runner';
import { lockFor } from './lock';

/** What a projector process runs: the read models, and how to open (and migrate) their store. */
export interface ProjectorSetup {
  projections(): readonly Projection[];
  openReadStore(config: AppConfig): Promise<ReadStore>;
  /** Wraps the log as the service's EVENT_STORE is wrapped (the personal-data decorator). */
  decorateLog?(log: EventStore, config: AppConfig): EventStore;
}

/**
 * Runs every projection of DATA_DIR (or DATABASE_URL) up to the head of the log, then exits; prints
 * `position <n>` after each batch. Used to catch read models up offline, and by the crash test. The entry
 * point (the read models' `projector.main.ts`) passes the projections.
 */
export function runProjector(setup: ProjectorSetup): void {
  main(setup).catch((error: unknown) => {
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  });
}

async function main(setup: ProjectorSetup): Promise<void> {
  const config = loadConfig({ ...process.env, AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET ?? 'projector-needs-no-tokens' });
  const readStore = await setup.openReadStore(config);
  const raw = createEventStore(config, { writerThread: false });
  const log = setup.decorateLog ? setup.decorateLog(raw, config) : raw;
  const batchSize = Number(process.env.PROJECTOR_BATCH_SIZE ?? 1000);
  if (process.env.PROJECTOR_FOLLOW === '1') return follow(setup.projections(), log, readStore, batchSize);
  try {
    for (const projection of setup.projections()) {
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
async function follow(projections: readonly Projection[], log: EventStore, readStore: ReadStore, batchSize: number): Promise<void> {
  const lock = lockFor(readStore.pool);
  const runners = projections.map(
    (p) => new ProjectionRunner(readStore.db, log, p, { batchSize, lock, pollIntervalMs: 50, lockRetryMs: 200 }),
  );
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
