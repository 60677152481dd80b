import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { EventStore } from '../../shared/event-sourcing/event-store.port';
import { EventStoreDbEventStore } from '../../event-store/eventstoredb-event-store';
import {
  CopyConflictError,
  CopyInterruptedError,
  copyLog,
  CopyMismatchError,
  UncopyableSourceError,
  verifyCopy,
} from '../../event-store/migration/copy-log';
import { PostgresEventStore } from '../../event-store/postgres-event-store';
import { openSqliteEventStore } from '../../event-store/sqlite-event-store';
import { MIGRATE_EXIT, MigrateIo, printReport } from './migrate-to-eventstoredb';

/** Where a log lives: a directory holding events.db, an EventStoreDB connection string, or a PostgreSQL URL. */
export interface LogLocation {
  kind: 'embedded' | 'eventstoredb' | 'postgres';
  /** The directory, or the connection string. */
  value: string;
}

export interface MigrateLogOptions {
  from: LogLocation;
  to: LogLocation;
  batch: number;
  verifyOnly: boolean;
}

const NAMES: Record<LogLocation['kind'], string> = { embedded: 'the embedded log', eventstoredb: 'EventStoreDB', postgres: 'PostgreSQL' };

/**
 * `migrate-log --from <log> --to <log>`: the copy-and-verify of migrate-to-eventstoredb between any two stores
 * (embedded, EventStoreDB, PostgreSQL), e.g. from the embedded file to PostgreSQL when a team moves to one
 * database, or back. Same guarantees: appends in the source's global order with exact expected revisions,
 * every hash recomputed by the target and compared, resumable, then a full two-pass verification.
 */
export function registerMigrateLogCommand(program: Command): Command {
  return program
    .command('migrate-log')
    .description('Copy an event log into another store (embedded, EventStoreDB or PostgreSQL), then verify the copy; resumable.')
    .addOption(
      new Option('--from <log>', 'source: a data directory (events.db), esdb://... or postgres://...')
        .argParser(parseLocation)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--to <log>', 'target, same forms; should hold nothing but copied events').argParser(parseLocation).makeOptionMandatory(),
    )
    .addOption(new Option('--batch <n>', 'events read per page and at most per append').argParser(parseBatch).default(500))
    .option('--verify-only', 'only compare the two logs', false)
    .addHelpText('after', '\nExit codes: 0 identical; 1 differences; 2 bad options; 3 failed (run again to resume); 130 interrupted.')
    .action(async (options: MigrateLogOptions) => {
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        process.exitCode = await runMigrateLog(options, { out: process.stdout, err: process.stderr, signal: controller.signal });
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}

/** The command without commander and process wiring; returns the exit code. */
export async function runMigrateLog(options: MigrateLogOptions, io: MigrateIo): Promise<number> {
  const print = (line = '') => io.out.write(`${line}\n`);
  const complain = (line: string) => io.err.write(`${line}\n`);
  if (options.from.kind === options.to.kind && options.from.value === options.to.value) {
    complain('--from and --to name the same log');
    return MIGRATE_EXIT.usage;
  }
  if (options.from.kind === 'embedded' && !existsSync(join(resolve(options.from.value), 'events.db'))) {
    complain(`no embedded event log in ${resolve(options.from.value)}`);
    return MIGRATE_EXIT.usage;
  }
  const source = openLocation(options.from);
  const target = openLocation(options.to);
  const targetName = NAMES[options.to.kind];
  print(`source: ${describe(options.from)}`);
  print(`target: ${describe(options.to)}`);
  try {
    if (!options.verifyOnly) {
      let lastLine = 0;
      const result = await copyLog({
        source,
        target,
        batchSize: options.batch,
        signal: io.signal,
        onProgress: (p) => {
          if (io.progress === false || Date.now() - lastLine < 2000) return;
          lastLine = Date.now();
          complain(`copying: ${p.done}/${p.total} events`);
        },
      });
      const rate = Math.round(result.copied / Math.max(result.elapsedMs / 1000, 0.001));
      print(
        `copied ${result.copied} events in ${result.appends} appends in ${(result.elapsedMs / 1000).toFixed(1)} s (${rate} events/s); ` +
          `${result.alreadyPresent + result.skipped} were already in ${targetName}`,
      );
    }
    const report = await verifyCopy(source, target, { batchSize: options.batch });
    printReport(report, print, targetName);
    return report.ok ? MIGRATE_EXIT.ok : MIGRATE_EXIT.differences;
  } catch (error) {
    if (error instanceof CopyInterruptedError) {
      complain(error.message);
      return MIGRATE_EXIT.interrupted;
    }
    if (error instanceof CopyMismatchError || error instanceof CopyConflictError || error instanceof UncopyableSourceError) {
      complain(`${error.name}: ${error.message}`);
      return MIGRATE_EXIT.differences;
    }
    complain(`failed: ${(error as Error).message ?? String(error)}`);
    complain('nothing copied so far is lost: run the command again to resume');
    return MIGRATE_EXIT.failed;
  } finally {
    await source.close().catch(() => undefined);
    await target.close().catch(() => undefined);
  }
}

export function parseLocation(value: string): LogLocation {
  if (/^esdb(\+discover)?:\/\/./.test(value)) return { kind: 'eventstoredb', value };
  if (/^postgres(ql)?:\/\/./.test(value)) return { kind: 'postgres', value };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw new InvalidArgumentError('expected a data directory, esdb://... or postgres://...');
  return { kind: 'embedded', value };
}

function openLocation(location: LogLocation): EventStore {
  switch (location.kind) {
    case 'embedded':
      return openSqliteEventStore(resolve(location.value));
    case 'eventstoredb':
      return EventStoreDbEventStore.fromConnectionString(location.value);
    case 'postgres':
      return new PostgresEventStore(location.value);
  }
}

/** The location without credentials, for printing. */
function describe(location: LogLocation): string {
  if (location.kind === 'embedded') return `${join(resolve(location.value), 'events.db')} (embedded)`;
  return `${location.value.replace(/^([a-z+]+:\/\/)[^@/]*@/, '$1***@')} (${NAMES[location.kind]})`;
}

function parseBatch(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10000) throw new InvalidArgumentError('expected an integer from 1 to 10000');
  return n;
}
