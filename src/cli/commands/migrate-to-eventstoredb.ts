import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Presets, SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { EventStore } from '../../shared/event-sourcing/event-store.port';
import { EventStoreDbEventStore } from '../../event-store/eventstoredb-event-store';
import {
  CopyConflictError,
  CopyInterruptedError,
  copyLog,
  CopyMismatchError,
  CopyProgress,
  UncopyableSourceError,
  verifyCopy,
  VerifyReport,
} from '../../event-store/migration/copy-log';
import { SqliteEventStore } from '../../event-store/sqlite-event-store';

/** Exit codes of the command. */
export const MIGRATE_EXIT = {
  ok: 0,
  /** The copy differs from the source, or could not be made identical (mismatch, conflict, altered source). */
  differences: 1,
  /** Bad options: no embedded log in the data directory, a connection string that is not esdb://... */
  usage: 2,
  /** The copy could not go on (EventStoreDB unreachable, I/O...); run the command again to resume. */
  failed: 3,
  /** Interrupted (SIGINT/SIGTERM) between two appends; run the command again to resume. */
  interrupted: 130,
} as const;

export interface MigrateOptions {
  connection: string;
  dataDir: string;
  batch: number;
  verifyOnly: boolean;
}

export interface MigrateIo {
  /** Results and differences. */
  out: NodeJS.WritableStream;
  /** Progress bar and errors. */
  err: NodeJS.WritableStream;
  /** Draw the progress bar; default true. */
  progress?: boolean;
  /** Stops the copy between two appends (the command wires SIGINT/SIGTERM to it). */
  signal?: AbortSignal;
}

/**
 * `migrate-to-eventstoredb`: copies the embedded log (`<data-dir>/events.db`) into EventStoreDB, then
 * verifies the copy. Registration, for src/cli/main.ts:
 *
 *   registerMigrateCommand(program);
 *   await program.parseAsync(process.argv); // the action sets process.exitCode
 */
export function registerMigrateCommand(program: Command): Command {
  return program
    .command('migrate-to-eventstoredb')
    .description(
      'Copy the embedded event log into EventStoreDB (same streams, event ids, hash chains, global order), then verify the copy. ' +
        'Resumable: run it again after an interruption and it continues where the target ends, without duplicates.',
    )
    .addOption(
      new Option('--connection <url>', 'EventStoreDB connection string, e.g. esdb://localhost:2113?tls=false')
        .env('EVENTSTORE_CONNECTION_STRING')
        .argParser(parseConnection)
        .makeOptionMandatory(),
    )
    .addOption(new Option('--data-dir <dir>', 'directory holding the embedded events.db').env('DATA_DIR').default('./data'))
    .addOption(new Option('--batch <n>', 'events read per page and at most per append').argParser(parseBatch).default(500))
    .option('--verify-only', 'only compare the EventStoreDB log with the embedded one', false)
    .addHelpText(
      'after',
      '\nExit codes: 0 identical; 1 differences (printed); 2 bad options; 3 failed (run again to resume); 130 interrupted (run again to resume).',
    )
    .action(async (options: MigrateOptions) => {
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        process.exitCode = await runMigrateToEventStoreDb(options, { out: process.stdout, err: process.stderr, signal: controller.signal });
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}

/** The command without commander and process wiring; returns the exit code. */
export async function runMigrateToEventStoreDb(options: MigrateOptions, io: MigrateIo): Promise<number> {
  const print = (line = '') => io.out.write(`${line}\n`);
  const complain = (line: string) => io.err.write(`${line}\n`);
  const file = join(resolve(options.dataDir), 'events.db');
  if (!existsSync(file)) {
    complain(`no embedded event log at ${file} (set --data-dir or DATA_DIR)`);
    return MIGRATE_EXIT.usage;
  }
  const total = countEvents(file);
  const source = new SqliteEventStore(file);
  const target: EventStore = EventStoreDbEventStore.fromConnectionString(options.connection);
  print(`source: ${file} (${total} events)`);
  print(`target: ${redact(options.connection)}`);
  try {
    if (!options.verifyOnly) {
      const result = await withBar(io, 'copying   ', total, (update) =>
        copyLog({ source, target, batchSize: options.batch, signal: io.signal, onProgress: (p) => update(p.done, rateOf(p)) }),
      );
      print(
        `copied ${result.copied} events in ${result.appends} appends in ${seconds(result.elapsedMs)} (${rateOf(result)} events/s); ` +
          `${result.alreadyPresent + result.skipped} were already in EventStoreDB`,
      );
    }
    const report = await withBar(io, 'verifying ', total * 2, (update) =>
      verifyCopy(source, target, {
        batchSize: options.batch,
        onProgress: (p) => update(p.pass === 'target' ? Math.min(p.events, total) : total + p.events, ''),
      }),
    );
    printReport(report, print);
    return report.ok ? MIGRATE_EXIT.ok : MIGRATE_EXIT.differences;
  } catch (error) {
    if (error instanceof CopyInterruptedError) {
      complain(`${error.message}`);
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
    await source.close();
    await target.close().catch(() => undefined);
  }
}

/** Prints a verification report (shared with migrate-log, which names its own target). */
export function printReport(report: VerifyReport, print: (line?: string) => void, targetName = 'EventStoreDB'): void {
  const took = seconds(report.elapsedMs);
  if (report.ok) {
    print(
      `verified: ${report.identical} events identical in ${targetName} (every field but the position), ` +
        `every hash chain valid, global order preserved (${took})`,
    );
    return;
  }
  print(`DIFFERENCES: source ${report.sourceEvents} events, ${targetName} ${report.targetEvents}, identical ${report.identical} (${took})`);
  const counts = Object.entries(report.counts).filter(([, n]) => n > 0);
  print(`  ${counts.map(([kind, n]) => `${kind}: ${n}`).join(', ') || 'event counts differ'}`);
  for (const difference of report.differences) print(`  [${difference.kind}] ${difference.message}`);
  const all = Object.values(report.counts).reduce((a, b) => a + b, 0);
  if (all > report.differences.length) print(`  … and ${all - report.differences.length} more`);
}

/** Runs `work` under a progress bar on `io.err` (events done / total, rate). */
async function withBar<T>(
  io: MigrateIo,
  label: string,
  total: number,
  work: (update: (value: number, rate: number | string) => void) => Promise<T>,
): Promise<T> {
  if (io.progress === false) return work(() => undefined);
  const bar = new SingleBar(
    {
      format: `${label}|{bar}| {percentage}% | {value}/{total} events | {rate} | ETA {eta_formatted}`,
      stream: io.err,
      noTTYOutput: true, // in CI and docker logs: a line every few seconds
      notTTYSchedule: 5000,
      etaBuffer: 200,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0, { rate: '' });
  try {
    return await work((value, rate) => bar.update(value, { rate: rate === '' ? '' : `${rate} events/s` }));
  } finally {
    bar.stop();
  }
}

function countEvents(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const rateOf = (p: Pick<CopyProgress, 'copied' | 'elapsedMs'>) => Math.round(p.copied / Math.max(p.elapsedMs / 1000, 0.001));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The connection string without credentials, for printing. */
function redact(connection: string): string {
  return connection.replace(/^(esdb(?:\+discover)?:\/\/)[^@/]*@/, '$1***@');
}

function parseConnection(value: string): string {
  if (!/^esdb(\+discover)?:\/\/./.test(value)) throw new InvalidArgumentError('expected esdb://host:port?... or esdb+discover://...');
  return value;
}

function parseBatch(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10000) throw new InvalidArgumentError('expected an integer from 1 to 10000');
  return n;
}
