import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { loadConfig } from '../../config/app-config';
import { createEventStore } from '../../event-store/event-store.module';
import { personalDataLog } from '../../privacy/protect-log';
import { openReadStore } from '../../read-models/read-models.module';
import { SlaPolicyRegistry } from '../../sla/application/sla-policy.registry';
import { SlaPolicy, validateSlaPolicy } from '../../sla/domain/sla-policy';
import { replayWhatIf } from '../../sla-supervision/what-if/what-if-replay';
import { EXIT, runCommand, UsageError } from '../cli-support';

/**
 * `what-if --policy proposed.json [--from ISO] [--to ISO]`: the recorded history of the disputes filed in the
 * period, replayed under a proposed SLA policy; prints how breaches, penalties and remedies would differ.
 * Reads only: nothing is written. The policy is validated as for PUT /sla/policy (target maxima included).
 */
export function registerWhatIfCommand(program: Command): void {
  program
    .command('what-if')
    .description('replay recorded disputes under a proposed SLA policy and compare, writing nothing')
    .requiredOption('--policy <file>', 'the proposed policy, as JSON (the body of PUT /api/v1/sla/policy)')
    .addOption(new Option('--from <iso>', 'disputes filed at or after'))
    .addOption(new Option('--to <iso>', 'disputes filed before'))
    .addOption(new Option('--data-dir <dir>', "the service's DATA_DIR").env('DATA_DIR'))
    .action((options: { policy: string; from?: string; to?: string; dataDir?: string }) =>
      runCommand(async () => {
        let proposed: SlaPolicy;
        try {
          proposed = JSON.parse(readFileSync(options.policy, 'utf8')) as SlaPolicy;
        } catch (error) {
          throw new UsageError(`cannot read the policy ${options.policy}: ${(error as Error).message}`);
        }
        const errors = validateSlaPolicy(proposed);
        if (errors.length) throw new UsageError(`invalid policy:\n  ${errors.join('\n  ')}`);
        const config = loadConfig({
          ...process.env,
          ...(options.dataDir ? { DATA_DIR: options.dataDir } : {}),
          AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET ?? 'what-if-needs-no-tokens',
        });
        const readStore = await openReadStore(config);
        const log = personalDataLog(createEventStore(config, { writerThread: false }), config);
        try {
          const policies = await new SlaPolicyRegistry(log).refresh();
          const job = {
            proposed: { ...proposed, version: policies.current.version + 1 },
            recorded: [...policies.versions.values()],
            from: options.from,
            to: options.to,
            until: new Date().toISOString(),
          };
          // The same replay as POST /sla/what-if, in this process of its own: no time budget, no dispute limit.
          const report = await replayWhatIf({ log, db: readStore.db }, job);
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          return EXIT.ok;
        } finally {
          await readStore.close();
          await log.close();
        }
      }),
    );
}
