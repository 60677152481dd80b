import { createWriteStream } from 'node:fs';
import { Command, Option } from 'commander';
import { disputeStreamId } from '../../disputes/application/dispute-stream';
import { toEventView } from '../../disputes/http/http-conventions';
import { StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { connectionOption, dataDirOption, EXIT, LogSourceOptions, openLog, runCommand, UsageError } from '../cli-support';

interface ExportOptions extends LogSourceOptions {
  format: 'jsonl' | 'csv';
  out?: string;
}

export const CSV_COLUMNS = [
  'revision',
  'position',
  'occurredAt',
  'type',
  'eventId',
  'actorId',
  'actorRoles',
  'commandId',
  'correlationId',
  'causationId',
  'policyVersion',
  'schemaVersion',
  'data',
  'prevHash',
  'hash',
] as const;

/** RFC 4180: quoted when needed, quotes doubled. */
export function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsvRow(e: StoredEvent): string {
  const m = e.metadata;
  const row = [e.revision, e.position, e.occurredAt, e.type, e.eventId, m.actorId, m.actorRoles.join(' '), m.commandId, m.correlationId, m.causationId, m.policyVersion, m.schemaVersion, e.data, e.prevHash, e.hash];
  return row.map(csvField).join(',');
}

/** `export-case`: a dispute's audit trail (every event, metadata and hashes) as JSON lines or CSV. */
export function registerExportCaseCommand(program: Command): Command {
  return program
    .command('export-case')
    .description("Export a dispute's audit trail (every event with actor, time, metadata and hashes)")
    .argument('<disputeId>', 'the dispute id')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).default('jsonl'))
    .option('--out <file>', 'write to a file instead of stdout')
    .addOption(dataDirOption())
    .addOption(connectionOption())
    .addHelpText('after', '\nExample:\n  npm run cli -- export-case 6c0e2b1a-... --format csv --out case.csv')
    .action((disputeId: string, options: ExportOptions) =>
      runCommand(async () => {
        const { store } = openLog(options);
        try {
          const events = await store.readStream(disputeStreamId(disputeId));
          if (events.length === 0) throw new UsageError(`dispute ${disputeId} not found`);
          const out = options.out ? createWriteStream(options.out) : process.stdout;
          if (options.format === 'csv') out.write(`${CSV_COLUMNS.join(',')}\n`);
          for (const event of events) out.write(`${options.format === 'csv' ? toCsvRow(event) : JSON.stringify(toEventView(event))}\n`);
          if (options.out) {
            await new Promise<void>((resolve, reject) => {
              out.once('error', reject);
              out.end(() => resolve());
            });
            process.stderr.write(`${events.length} events of dispute ${disputeId} written to ${options.out}\n`);
          }
          return EXIT.ok;
        } finally {
          await store.close();
        }
      }),
    );
}
