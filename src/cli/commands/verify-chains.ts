import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { Checkpointer } from '../../audit-trail/checkpointer';
import { loadSigningKey } from '../../audit-trail/signing-key';
import { SignedCheckpoint } from '../../audit-trail/checkpoint';
import { checkpointStoreFor, trustedPublicKey } from '../../audit-trail/open-checkpoints';
import { Damage, verifyLog } from '../../audit-trail/verify-log';
import { computeEventHash } from '../../event-store/domain/hash-chain';
import { EventStore, StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { connectionOption, dataDirOption, EXIT, LogSourceOptions, openLog, progressBar, runCommand, UsageError } from '../cli-support';

const PAGE = 1000;

export interface BrokenChain {
  streamId: string;
  /** First revision that does not verify (a changed event, a gap, or a wrong prevHash). */
  firstInvalidRevision: number;
  reason: string;
}

export interface ChainsReport {
  streams: number;
  events: number;
  broken: BrokenChain[];
}

/**
 * Verifies every stream's hash chain in one pass over the global log, keeping only each stream's last hash:
 * memory grows with the number of streams, not of events. Same rule as hash-chain.ts's verifyChain.
 */
export async function verifyAllChains(store: EventStore, onProgress?: (position: number) => void): Promise<ChainsReport> {
  const tails = new Map<string, { nextRevision: number; prevHash: string | null; broken: boolean }>();
  const broken: BrokenChain[] = [];
  let events = 0;
  let after = 0;
  for (;;) {
    const page: StoredEvent[] = await store.readAll({ after, maxCount: PAGE });
    if (page.length === 0) break;
    for (const event of page) {
      events++;
      const tail = tails.get(event.streamId) ?? { nextRevision: 0, prevHash: null, broken: false };
      tails.set(event.streamId, tail);
      if (tail.broken) continue;
      const reason =
        event.revision !== tail.nextRevision
          ? `expected revision ${tail.nextRevision}, found ${event.revision} (an event is missing or out of place)`
          : event.prevHash !== tail.prevHash
            ? "prevHash does not match the previous event's hash"
            : computeEventHash(event) !== event.hash
              ? "the event's content does not match its hash (altered)"
              : null;
      if (reason) {
        tail.broken = true;
        broken.push({ streamId: event.streamId, firstInvalidRevision: event.revision, reason });
        continue;
      }
      tail.nextRevision = event.revision + 1;
      tail.prevHash = event.hash;
    }
    after = page[page.length - 1].position;
    onProgress?.(after);
  }
  return { streams: tails.size, events, broken };
}

interface VerifyOptions extends LogSourceOptions {
  json: boolean;
  publicKey?: string;
  anchor?: string;
}

/** Problems when an anchored checkpoint (exported earlier and kept outside the store) is not in the store's chain as it was. */
export function checkAnchor(anchor: SignedCheckpoint, stored: SignedCheckpoint[]): Damage[] {
  const found = stored.find((c) => c.sequence === anchor.sequence);
  const detail = !found
    ? `anchored checkpoint ${anchor.sequence} is missing from the store (checkpoints were deleted)`
    : found.checkpointHash !== anchor.checkpointHash
      ? `anchored checkpoint ${anchor.sequence} differs from the stored one (the checkpoint chain was rewritten)`
      : null;
  return detail ? [{ kind: 'checkpoint', streamId: null, revision: null, eventId: null, detail }] : [];
}

export function registerVerifyChainsCommand(program: Command): Command {
  return program
    .command('verify-chains')
    .description("Verify every stream's hash chain and every stream against the latest signed checkpoint; exit 1 naming the damage")
    .addOption(dataDirOption())
    .addOption(connectionOption())
    .option('--json', 'print the report as JSON', false)
    .option('--public-key <file>', 'the trusted Ed25519 public key (PEM); default: the key file in DATA_DIR')
    .option(
      '--anchor <file>',
      'a checkpoint exported earlier (JSON, as GET /api/v1/audit/checkpoints lists them) that must still be in the chain',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 everything verifies; 1 something is damaged; 2 no log.\nExample:\n  npm run cli -- verify-chains --data-dir ./data --anchor checkpoint-41.json',
    )
    .action((options: VerifyOptions) =>
      runCommand(async () => {
        const { store, describe } = openLog(options);
        const checkpoints = checkpointStoreFor(store, resolve(options.dataDir));
        try {
          const trusted = trustedPublicKey({ publicKey: options.publicKey, dataDir: resolve(options.dataDir) });
          const head = await store.headPosition();
          const bar = progressBar('verifying', head);
          const report = await verifyLog(store, checkpoints, trusted.key, (p) => bar.update(p)).finally(() => bar.stop());
          if (options.anchor) {
            const anchor = JSON.parse(readFileSync(options.anchor, 'utf8')) as SignedCheckpoint;
            report.damages.unshift(...checkAnchor(anchor, await checkpoints.list()));
            report.valid = report.damages.length === 0;
          }
          const broken = report.damages.map((d) => ({
            streamId: d.streamId,
            firstInvalidRevision: d.revision,
            eventId: d.eventId,
            kind: d.kind,
            reason: d.detail,
          }));
          if (options.json) process.stdout.write(`${JSON.stringify({ ...report, broken, trustedKey: trusted.source }, null, 2)}\n`);
          else {
            process.stdout.write(`${describe}: ${report.events} events in ${report.streams} streams\n`);
            const c = report.checkpoint;
            process.stdout.write(
              c
                ? `signed checkpoint ${c.sequence} of ${c.createdAt} (key ${c.keyId}; trusted key: ${trusted.source}) covers position ${c.headPosition}; ${report.eventsAfterCheckpoint} later event(s) are chain-checked only\n`
                : 'no signed checkpoint yet: hash chains only (a re-hashed edit, a truncation or a deleted stream cannot be detected)\n',
            );
            for (const d of report.damages) {
              const where = d.streamId === null ? 'CHECKPOINTS' : `${d.streamId} at revision ${d.revision}`;
              process.stdout.write(`BROKEN ${where}: ${d.kind}${d.eventId ? ` (event ${d.eventId})` : ''}: ${d.detail}\n`);
            }
            const streams = new Set(report.damages.map((d) => d.streamId ?? '(checkpoints)')).size;
            process.stdout.write(report.valid ? 'every hash chain verifies\n' : `${streams} broken chain(s)\n`);
          }
          return report.valid ? EXIT.ok : EXIT.broken;
        } finally {
          await checkpoints.close();
          await store.close();
        }
      }),
    );
}

/**
 * `audit-checkpoint`: signs a checkpoint when the log grew since the latest (a first one over an existing log),
 * then prints the latest checkpoint as JSON: the thing to anchor outside the store (README "Audit and tamper evidence").
 */
export function registerAuditCheckpointCommand(program: Command): Command {
  return program
    .command('audit-checkpoint')
    .description('Sign a checkpoint over the log if it grew, and print the latest checkpoint (JSON) for anchoring outside the store')
    .addOption(dataDirOption())
    .addOption(connectionOption())
    .addOption(
      new Option('--signing-key <pem>', 'the Ed25519 private key (PKCS#8 PEM); default: DATA_DIR/audit-signing-key.pem').env(
        'AUDIT_SIGNING_KEY',
      ),
    )
    .option('--out <file>', 'also write the checkpoint JSON to this file')
    .addHelpText('after', '\nExample:\n  npm run cli -- audit-checkpoint --data-dir ./data --out anchors/checkpoint.json')
    .action((options: LogSourceOptions & { signingKey?: string; out?: string }) =>
      runCommand(async () => {
        const { store } = openLog(options);
        const dataDir = resolve(options.dataDir);
        const checkpoints = checkpointStoreFor(store, dataDir);
        try {
          const key = loadSigningKey({ signingKey: options.signingKey?.trim() || null, dataDir });
          const written = await new Checkpointer(store, checkpoints, key).checkpoint();
          const latest = await checkpoints.latest();
          if (!latest) throw new UsageError('the log is empty: nothing to checkpoint');
          const text = `${JSON.stringify(latest, null, 2)}\n`;
          if (options.out) writeFileSync(options.out, text);
          process.stdout.write(text);
          process.stderr.write(written ? `signed checkpoint ${latest.sequence}\n` : `nothing new since checkpoint ${latest.sequence}\n`);
          return EXIT.ok;
        } finally {
          await checkpoints.close();
          await store.close();
        }
      }),
    );
}
