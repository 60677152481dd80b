#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { registerExportCaseCommand } from './commands/export-case';
import { registerExportDatasetCommand } from './commands/export-dataset';
import { registerAnalyticsSqlCommand } from './commands/analytics-sql';
import { registerMigrateLogCommand } from './commands/migrate-log';
import { registerMigrateCommand } from './commands/migrate-to-eventstoredb';
import { registerRebuildProjectionsCommand } from './commands/rebuild-projections';
import { registerReplayCaseCommand } from './commands/replay-case';
import { registerSeedCommand } from './commands/seed';
import { registerTokensCommand } from './commands/tokens';
import { registerAuditCheckpointCommand, registerVerifyChainsCommand } from './commands/verify-chains';
import { registerWhatIfCommand } from './commands/what-if';

/**
 * `npm run cli -- <command>` (builds, then runs dist/cli/main.js). Each command lives in ./commands and
 * registers itself here; every action sets process.exitCode (see EXIT in cli-support.ts).
 */
export function buildProgram(): Command {
  const program = new Command('casetrail')
    .description('Casetrail operations: tokens, chain verification, case export and replay, demo data, migration')
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .exitOverride((error) => {
      // Usage errors from commander (unknown option, missing argument) exit 2, as our own do.
      process.exit(error.exitCode === 0 ? 0 : 2);
    });

  registerTokensCommand(program);
  registerVerifyChainsCommand(program);
  registerAuditCheckpointCommand(program);
  registerExportCaseCommand(program);
  registerExportDatasetCommand(program);
  registerAnalyticsSqlCommand(program);
  registerReplayCaseCommand(program);
  registerSeedCommand(program);
  registerMigrateCommand(program);
  registerMigrateLogCommand(program);
  registerRebuildProjectionsCommand(program);
  registerWhatIfCommand(program);
  return program;
}

if (require.main === module) {
  // `... | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  buildProgram()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 3;
    });
}
