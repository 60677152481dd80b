import { createWriteStream } from 'node:fs';
import { Command, Option } from 'commander';
import { disputeStreamId } from '../../disputes/application/dispute-stream';
import { toEventView } from '../../common/http/http-conventions';
import { resolve } from 'node:path';
import { buildCaseBundle, CaseBundle, serializeBundle } from '../../audit-trail/case-bundle';
import { Checkpointer } from '../../audit-trail/checkpointer';
import { compareHeads, inclusionProof } from '../../audit-trail/merkle';
import { checkpointStoreFor } from '../../audit-trail/open-checkpoints';
import { loadSigningKey } from '../../audit-trail/signing-key';
import { checkCheckpoints } from '../../audit-trail/verify-log';
import { EventStore, StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { connectionOption, dataDirOption, EXIT, LogSourceOptions, openLog, runCommand, UsageError } from '../cli-support';

interface ExportOptions extends LogSourceOptions {
  format: 'jsonl' | 'csv' | 'bundle';
  out?: string;
  signingKey?: string;
}

/**
 * The bundle of a case (see src/audit-trail/case-bundle.ts): the latest signed checkpoint's head for the stream
 * and its inclusion proof. When that checkpoint does not cover the stream's newest event, a new checkpoint is
 * signed first (with AUDIT_SIGNING_KEY or DATA_DIR's key file), as the service does.
 */
async function caseBundle(store: EventStore, options: ExportOptions, streamId: string, events: StoredEvent[]): Promise<CaseBundle> {
  const dataDir = resolve(options.dataDir);
  const checkpoints = checkpointStoreFor(store, dataDir);
  try {
    const covering = async () => {
      const checked = await checkCheckpoints(checkpoints);
      const sorted = [...checked.heads.values()].sort(compareHeads);
      const index = sorted.findIndex((h) => h.streamId === streamId);
      return checked.latest && index >= 0
        ? { checkpoint: checked.latest, head: sorted[index], proof: inclusionProof(sorted, index), damages: checked.damages }
        : null;
    };
    let found = await covering();
    if (!found || found.head.revision < events[events.length - 1].revision) {
      const key = loadSigningKey({ signingKey: options.signingKey?.trim() || null, dataDir });
      await new Checkpointer(store, checkpoints, key).checkpoint();
      found = await covering();
    }
    if (found && found.damages.length > 0)
      process.stderr.write(`warning: the checkpoints do not verify: ${found.damages.map((d) => d.detail).join('; ')}\n`);
    return buildCaseBundle(streamId, events, found);
  } finally {
    await checkpoints.close();
  }
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
  const row = [
    e.revision,
    e.position,
    e.occurredAt,
    e.type,
    e.eventId,
    m.actorId,
    m.actorRoles.join(' '),
    m.commandId,
    m.correlationId,
    m.causationId,
    m.policyVersion,
    m.schemaVersion,
    e.data,
    e.prevHash,
    e.hash,
  ];
  return row.map(csvField).join(',');
}

/** `export-case`: a dispute's audit trail (every event, metadata and hashes) as JSON lines or CSV. */
export function registerExportCaseCommand(program: Command): Command {
  return program
    .command('export-case')
    .description("Export a dispute's audit trail (every event with actor, time, metadata and hashes)")
    .argument('<disputeId>', 'the dispute id')
    .addOption(
      new Option(
        '--format <format>',
        'output format; bundle: a self-verifying bundle (events, signed checkpoint, inclusion proof) for tools/verify-bundle.mjs',
      )
        .choices(['jsonl', 'csv', 'bundle'])
        .default('jsonl'),
    )
    .addOption(
      new Option('--signing-key <pem>', 'bundle: the Ed25519 key to sign a covering checkpoint with, when one is needed').env(
        'AUDIT_SIGNING_KEY',
      ),
    )
    .option('--out <file>', 'write to a file instead of stdout')
    .addOption(dataDirOption())
    .addOption(connectionOption())
    .addHelpText(
      'after',
      '\nExamples:\n  npm run cli -- export-case 6c0e2b1a-... --format csv --out case.csv\n  npm run cli -- export-case 6c0e2b1a-... --format bundle --out case.bundle.json && node tools/verify-bundle.mjs case.bundle.json',
    )
    .action((disputeId: string, options: ExportOptions) =>
      runCommand(async () => {
        const { store } = openLog(options);
        try {
          const events = await store.readStream(disputeStreamId(disputeId));
          if (events.length === 0) throw new UsageError(`dispute ${disputeId} not found`);
          const out = options.out ? createWriteStream(options.out) : process.stdout;
          if (options.format === 'bundle') out.write(serializeBundle(await caseBundle(store, options, disputeStreamId(disputeId), events)));
          else if (options.format === 'csv') out.write(`${CSV_COLUMNS.join(',')}\n`);
          if (options.format !== 'bundle')
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
