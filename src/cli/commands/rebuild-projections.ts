import { Command, Option } from 'commander';
import { loadConfig } from '../../config/app-config';
import { createEventStore } from '../../event-store/event-store.module';
import { openReadStore } from '../../projections/projections.module';
import { rebuildProjection } from '../../projections/rebuild';
import { PROJECTIONS } from '../../projections/registry';
import { SlaPolicyRegistry } from '../../sla/application/sla-policy.registry';
import { EXIT, progressBar, runCommand, UsageError } from '../cli-support';

/**
 * `rebuild-projections [--projection NAME]`: rebuilds read models from zero beside the live ones and swaps
 * them in (a running service keeps writing and picks up the swapped tables). Uses the service's own
 * configuration (DATA_DIR, EVENT_STORE, READ_STORE, DATABASE_URL).
 */
export function registerRebuildProjectionsCommand(program: Command): void {
  program
    .command('rebuild-projections')
    .description('rebuild read models from the event log, beside the live ones, then swap them in')
    .addOption(new Option('--projection <name>', 'only this projection (disputes, audit, penalties)'))
    .addOption(new Option('--data-dir <dir>', 'the service\'s DATA_DIR').env('DATA_DIR'))
    .action((options: { projection?: string; dataDir?: string }) =>
      runCommand(async () => {
        const config = loadConfig({ ...process.env, ...(options.dataDir ? { DATA_DIR: options.dataDir } : {}), AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET ?? 'rebuild-needs-no-tokens' });
        const log = createEventStore(config);
        const readStore = await openReadStore(config);
        try {
          const projections = PROJECTIONS(new SlaPolicyRegistry(log)).filter((p) => !options.projection || p.name === options.projection);
          if (projections.length === 0) throw new UsageError(`no projection named ${options.projection}`);
          for (const projection of projections) {
            const bar = progressBar(projection.name, await log.headPosition());
            const report = await rebuildProjection(readStore.db, log, projection, { onProgress: (position) => bar.update(position) });
            bar.stop();
            process.stdout.write(`${report.projection}: ${report.events} events in ${report.seconds.toFixed(1)} s (${report.eventsPerSecond} events/s), swapped in\n`);
          }
          return EXIT.ok;
        } finally {
          await readStore.close();
          await log.close();
        }
      }),
    );
}
