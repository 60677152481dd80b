import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { Option } from 'commander';
import { EventStore } from '../shared/event-sourcing/event-store.port';
import { EventStoreDbEventStore } from '../event-store/eventstoredb-event-store';
import { PostgresEventStore } from '../event-store/postgres-event-store';
import { SqliteEventStore } from '../event-store/sqlite-event-store';

/** Exit codes shared by the ops commands (migrate-to-eventstoredb has its own, documented in its help). */
export const EXIT = {
  ok: 0,
  /** verify-chains: at least one stream's hash chain is broken. */
  broken: 1,
  /** Bad options, no event log, unknown dispute. */
  usage: 2,
  /** Anything else went wrong. */
  failed: 3,
} as const;

export class UsageError extends Error {}

export const dataDirOption = () =>
  new Option('--data-dir <dir>', 'directory holding the embedded events.db').env('DATA_DIR').default('./data');
export const connectionOption = () =>
  new Option('--connection <url>', 'read the log from EventStoreDB instead of the embedded file').env('EVENTSTORE_CONNECTION_STRING');

export interface LogSourceOptions {
  dataDir: string;
  connection?: string;
}

/**
 * The event log to read: EventStoreDB when a connection string is given (and EVENT_STORE=eventstoredb), PostgreSQL
 * when EVENT_STORE=postgres (EVENT_STORE_DATABASE_URL or DATABASE_URL), else DATA_DIR/events.db.
 */
export function openLog(options: LogSourceOptions): { store: EventStore; describe: string } {
  const postgresUrl = process.env.EVENT_STORE_DATABASE_URL ?? process.env.DATABASE_URL;
  if (process.env.EVENT_STORE === 'postgres') {
    if (!postgresUrl) throw new UsageError('EVENT_STORE=postgres needs EVENT_STORE_DATABASE_URL or DATABASE_URL');
    return { store: new PostgresEventStore(postgresUrl), describe: 'PostgreSQL' };
  }
  if (options.connection && process.env.EVENT_STORE === 'eventstoredb') {
    return { store: EventStoreDbEventStore.fromConnectionString(options.connection), describe: 'EventStoreDB' };
  }
  const file = join(resolve(options.dataDir), 'events.db');
  if (!existsSync(file)) throw new UsageError(`no event log at ${file} (set --data-dir or DATA_DIR)`);
  return { store: new SqliteEventStore(file), describe: file };
}

/** A progress bar on stderr, drawn only when stderr is a terminal (never in pipes, CI or tests). */
export function progressBar(label: string, total: number): { update(value: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  bar.start(Math.max(total, 1), 0);
  return { update: (value) => bar.update(Math.min(value, Math.max(total, 1))), stop: () => bar.stop() };
}

/** Runs a command body, maps errors to exit codes and messages on stderr. */
export async function runCommand(body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    process.stderr.write(`failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = EXIT.failed;
  }
}

export const positiveInt = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number above 0, got "${value}"`);
  return n;
};
