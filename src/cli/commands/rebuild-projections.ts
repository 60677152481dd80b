import { Command, Option } from 'commander';
import { loadConfig } from '../../config/app-config';
import { createEventStore } from '../../event-store/event-store.module';
import { personalDataLog } from '../../privacy/protect-log';
import { openReadStore } from '../../read-models/read-models.module';
import { rebuildProjectionsTogether } from '../../read-side/engine/rebuild';
import { PROJECTIONS } from '../../read-models/registry';
import { SlaPolicyRegistry } from '../../sla/application/sla-policy.registry';
import { EXIT, positiveInt, progressBar, runCommand, UsageError } from '../cli-support';

/**
 * `rebuild-projections [--projection NAME] [--batch-size N]`: rebuilds read models from zero beside the live
 * ones, all in one pass over the log, and swaps them in together (a running service keeps writing and picks up
 * the swapped tables). Uses the service's own configuration (DATA_DIR, EVENT_STORE, READ_STORE, DATABASE_URL).
 */
export function registerRebuildProjectionsCommand(program: Command): void {
  program
    .command('rebuild-projections')
    .description('rebuild read models from the event log, beside the live ones, then swap them in')
    .addOption(new Option('--projection <name>', 'only this projection (disputes, audit, penalties)'))
    .addOption(new Option('--data-dir <dir>', "the service's DATA_DIR").env('DATA_DIR'))
    .addOption(
      new Option('--batch-size <n>', "events per transaction (bigger is faster; each holds the read store's write lock)").argParser(
        positiveInt('--batch-size'),
      ),
    )
    .action((options: { projection?: string; dataDir?: string; batchSize?: number }) =>
      runCommand(async () => {
        const config = loadConfig({
          ...process.env,
          ...(options.dataDir ? { DATA_DIR: options.dataDir } : {}),
          AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET ?? 'rebuild-needs-no-tokens',
        });
        const readStore = await openReadStore(config);
        // As the service reads it: personal fields decrypted, or erased (README "Personal data and erasure").
        const log = personalDataLog(createEventStore(config, { writerThread: false }), config);
        try {
          const projections = PROJECTIONS(new SlaPolicyRegistry(log)).filter((p) => !options.projection || p.name === options.projection);
          if (projections.length === 0) throw new UsageError(`no projection named ${options.projection}`);
          const bar = progressBar(projections.map((p) => p.name).join(', '), await log.headPosition());
          const reports = await rebuildProjectionsTogether(readStore.db, log, projections, {
            onProgress: (position) => bar.update(position),
            batchSize: options.batchSize,
          });
          bar.stop();
          for (const report of reports) {
            process.stdout.write(
              `${report.projection}: ${report.events} events in ${report.seconds.toFixed(1)} s (${report.eventsPerSecond} events/s), swapped in\n`,
            );
          }
          return EXIT.ok;
        } finally {
          await readStore.close();
          await log.close();
        }
      }),
    );
}
