import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { disputeStreamId, toDomainEvent } from '../../disputes/application/dispute-stream';
import { DisputeState, DisputeStateOrNone, disputeStatus } from '../../disputes/domain/dispute.state';
import { evolve } from '../../disputes/domain/dispute.evolve';
import { StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { connectionOption, dataDirOption, EXIT, LogSourceOptions, openLog, runCommand, UsageError } from '../cli-support';

interface ReplayOptions extends LogSourceOptions {
  step: boolean;
  color: boolean;
}

export interface Change {
  path: string;
  before: unknown;
  after: unknown;
}

/** Leaf paths of a JSON value: `compensations[0].status` → "approved". */
function flatten(value: unknown, prefix: string, into: Map<string, unknown>): Map<string, unknown> {
  if (Array.isArray(value)) {
    if (value.length === 0) into.set(prefix, []);
    value.forEach((item, i) => flatten(item, `${prefix}[${i}]`, into));
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix) into.set(prefix, {});
    for (const [key, item] of entries) flatten(item, prefix ? `${prefix}.${key}` : key, into);
  } else {
    into.set(prefix, value);
  }
  return into;
}

/** What changed between two states, leaf by leaf (the derived `status` included). */
export function stateDiff(before: DisputeStateOrNone, after: DisputeState): Change[] {
  const view = (s: DisputeStateOrNone) => (s === null ? {} : { status: disputeStatus(s), ...s });
  const a = flatten(view(before), '', new Map());
  const b = flatten(view(after), '', new Map());
  const changes: Change[] = [];
  const empty = (v: unknown) =>
    v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
  for (const [path, value] of b) {
    if (!a.has(path)) {
      if (before === null && empty(value)) continue; // the filing: show what it says, not every empty slot
      changes.push({ path, before: undefined, after: value });
    } else if (JSON.stringify(a.get(path)) !== JSON.stringify(value)) changes.push({ path, before: a.get(path), after: value });
  }
  for (const [path, value] of a) if (!b.has(path)) changes.push({ path, before: value, after: undefined });
  return changes;
}

const show = (value: unknown) => {
  if (value === undefined) return '∅';
  const text = JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
};

/** The lines printed for one event: who, when, what, and the state's changes. */
export function describeStep(event: StoredEvent, changes: Change[], paint: Paint): string[] {
  const m = event.metadata;
  const lines = [
    paint.bold(`#${event.revision} ${event.type}`) + paint.dim(`  at ${event.occurredAt}  by ${m.actorId} (${m.actorRoles.join(', ')})`),
    paint.dim(
      `   command ${m.commandId}${m.correlationId !== m.commandId ? `, correlation ${m.correlationId}` : ''}; hash ${event.hash.slice(0, 12)}…`,
    ),
  ];
  if (changes.length === 0) lines.push('   (no change to the state)');
  for (const c of changes) {
    if (c.before === undefined) lines.push(paint.green(`   + ${c.path} = ${show(c.after)}`));
    else if (c.after === undefined) lines.push(paint.red(`   - ${c.path} (was ${show(c.before)})`));
    else lines.push(`   ~ ${c.path}: ${paint.red(show(c.before))} → ${paint.green(show(c.after))}`);
  }
  return lines;
}

interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  red(s: string): string;
}
const ansi = (code: number) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
const PAINT: Paint = { bold: ansi(1), dim: ansi(2), green: ansi(32), red: ansi(31) };
const PLAIN: Paint = { bold: (s) => s, dim: (s) => s, green: (s) => s, red: (s) => s };

/** `replay-case`: the dispute event by event, as an auditor reads it. */
export function registerReplayCaseCommand(program: Command): Command {
  return program
    .command('replay-case')
    .description('Replay a dispute event by event: actor, time, and the state change after each (for auditors)')
    .argument('<disputeId>', 'the dispute id')
    .option('--step', 'wait for Enter between events (when stdin is a terminal)', false)
    .option('--no-color', 'no ANSI colours (default when stdout is not a terminal)')
    .addOption(dataDirOption())
    .addOption(connectionOption())
    .addHelpText('after', '\nExample:\n  npm run cli -- replay-case 6c0e2b1a-... --step')
    .action((disputeId: string, options: ReplayOptions) =>
      runCommand(async () => {
        const { store } = openLog(options);
        const events = await store.readStream(disputeStreamId(disputeId)).finally(() => store.close());
        if (events.length === 0) throw new UsageError(`dispute ${disputeId} not found`);
        const paint = options.color && process.stdout.isTTY ? PAINT : PLAIN;
        const interactive = options.step && process.stdin.isTTY === true;
        const prompt = interactive ? createInterface({ input: process.stdin, output: process.stdout }) : null;
        process.stdout.write(`dispute ${disputeId}: ${events.length} events\n\n`);
        let state: DisputeStateOrNone = null;
        try {
          for (const [i, event] of events.entries()) {
            const next = evolve(state, toDomainEvent(event));
            process.stdout.write(`${describeStep(event, stateDiff(state, next), paint).join('\n')}\n\n`);
            state = next;
            if (prompt && i < events.length - 1) {
              const answer = await prompt.question(paint.dim('Enter: next event, q: quit › '));
              if (answer.trim().toLowerCase() === 'q') break;
            }
          }
        } finally {
          prompt?.close();
        }
        if (state) process.stdout.write(`final: stage ${state.stage}, status ${disputeStatus(state)}, version ${state.version}\n`);
        return EXIT.ok;
      }),
    );
}
