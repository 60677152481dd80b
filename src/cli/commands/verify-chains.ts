import { Command } from 'commander';
import { computeEventHash } from '../../event-store/domain/hash-chain';
import { EventStore, StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { connectionOption, dataDirOption, EXIT, LogSourceOptions, openLog, progressBar, runCommand } from '../cli-support';

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
            ? 'prevHash does not match the previous event\'s hash'
            : computeEventHash(event) !== event.hash
              ? 'the event\'s content does not match its hash (altered)'
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

export function registerVerifyChainsCommand(program: Command): Command {
  return program
    .command('verify-chains')
    .description("Verify every stream's hash chain; exit 1 naming each broken stream")
    .addOption(dataDirOption())
    .addOption(connectionOption())
    .option('--json', 'print the report as JSON', false)
    .addHelpText('after', '\nExit codes: 0 every chain verifies; 1 at least one is broken; 2 no log.\nExample:\n  npm run cli -- verify-chains --data-dir ./data')
    .action((options: LogSourceOptions & { json: boolean }) =>
      runCommand(async () => {
        const { store, describe } = openLog(options);
        try {
          const head = await store.headPosition();
          const bar = progressBar('verifying', head);
          const report = await verifyAllChains(store, (p) => bar.update(p)).finally(() => bar.stop());
          if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          else {
            process.stdout.write(`${describe}: ${report.events} events in ${report.streams} streams\n`);
            for (const b of report.broken) process.stdout.write(`BROKEN ${b.streamId} at revision ${b.firstInvalidRevision}: ${b.reason}\n`);
            process.stdout.write(report.broken.length === 0 ? 'every hash chain verifies\n' : `${report.broken.length} broken chain(s)\n`);
          }
          return report.broken.length === 0 ? EXIT.ok : EXIT.broken;
        } finally {
          await store.close();
        }
      }),
    );
}
