import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import { Command, Option } from 'commander';
import { createApp } from '../../app.factory';
import { BLOB_STORE, BlobStore } from '../../blob-store/blob-store.port';
import { Clock } from '../../shared/clock';
import { ConfigError, loadConfig } from '../../config/app-config';
import { foldStored } from '../../disputes/application/dispute-stream';
import { DisputeCommandResult, ExecuteDisputeCommand } from '../../disputes/application/execute-dispute-command';
import { EVENT_STORE, EventStore, StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { statusOfError } from '../../ops/instrumentation';
import { EXIT, positiveInt, progressBar, runCommand, UsageError } from '../cli-support';
import { DisputePlan, planDispute, prng, ScenarioKind, Script, SeedRandom, SeedStep } from '../seed/scenarios';
import { disputeScript } from '../seed/dispute-script';

export interface SeedOptions {
  disputes: number;
  dataDir: string;
  months: number;
  concurrency: number;
  randomSeed: number;
  /** "now" of the data set; default the real time. */
  now?: Date;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedReport {
  disputes: number;
  commands: number;
  refused: { status: number; type: string; message: string }[];
  byScenario: Partial<Record<ScenarioKind, number>>;
  byStage: Record<string, number>;
  elapsedMs: number;
}

interface Pending {
  step: SeedStep;
  script: Script;
  plan: DisputePlan;
  /** Commands of this dispute already run. */
  done: number;
}

/**
 * Fills DATA_DIR with realistic demo disputes, driven through the real application in-process (createApp,
 * then the CommandBus, as the HTTP controller does): every event is decided by the domain, appended with
 * its hash chain, and projected. Commands run in the order of their (simulated) time across all disputes,
 * `concurrency` at a time, so the log reads chronologically; each command sees its own time through an
 * injectable clock (AsyncLocalStorage), so seeded disputes spread over the past `months`.
 */
export async function seed(options: SeedOptions): Promise<SeedReport> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const simulated = new AsyncLocalStorage<Date>();
  const clock: Clock = { now: () => simulated.getStore() ?? new Date() };
  let config;
  try {
    // No rate limits; no SLA timer firing at the real "now" between seeded commands in the past (the SLA
    // engine finds the seeded disputes' breaches when the service starts on this DATA_DIR).
    config = loadConfig({
      ...process.env,
      DATA_DIR: options.dataDir,
      PORT: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_PER_MINUTE_PER_IP: '0',
      SLA_SCHEDULER_INTERVAL_MS: '0',
    });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const previousLogLevel = process.env.LOG_LEVEL;
  if (process.env.SEED_VERBOSE !== '1') process.env.LOG_LEVEL = 'silent';
  const app = await createApp(config, { clock });
  await app.init();
  const bus = app.get(CommandBus);
  const rnd = new SeedRandom(prng(options.randomSeed));
  const customers = Math.max(5, Math.ceil(options.disputes / 3));
  const report: SeedReport = { disputes: options.disputes, commands: 0, refused: [], byScenario: {}, byStage: {}, elapsedMs: 0 };

  // Every dispute's first step, ordered by time; a script's next step is inserted when its previous one ran.
  const queue: Pending[] = [];
  const enqueue = (pending: Pending) => {
    let lo = 0;
    let hi = queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (queue[mid].step.at.getTime() <= pending.step.at.getTime()) lo = mid + 1;
      else hi = mid;
    }
    queue.splice(lo, 0, pending);
  };
  const advance = (plan: DisputePlan, script: Script, result: IteratorResult<SeedStep, void>, done: number) => {
    if (result.done) return;
    // The future, or a case still in progress: the dispute stays where it is.
    if (result.value.at.getTime() > now.getTime() || done >= plan.stopAfter) return void script.return();
    enqueue({ step: result.value, script, plan, done });
  };
  for (let i = 0; i < options.disputes; i++) {
    const plan = planDispute(i, randomUUID(), rnd, now, options.months);
    report.byScenario[plan.scenario] = (report.byScenario[plan.scenario] ?? 0) + 1;
    const script = disputeScript(plan, new SeedRandom(prng(options.randomSeed * 7919 + i)), customers);
    advance(plan, script, script.next(undefined as never), 0);
  }

  const run = async ({ step, script, plan, done }: Pending): Promise<void> => {
    const commandId = randomUUID();
    const command = new ExecuteDisputeCommand(plan.disputeId, { type: step.type, data: step.data }, step.actor, {
      commandId,
      correlationId: `seed-${plan.index}`,
      causationId: null,
    });
    try {
      if (step.content) await app.get<BlobStore>(BLOB_STORE).put(step.content);
      const result = await simulated.run(step.at, () => bus.execute<ExecuteDisputeCommand, DisputeCommandResult>(command));
      report.commands++;
      advance(plan, script, script.next(result.state), done + 1);
    } catch (error) {
      report.refused.push({ status: statusOfError(error), type: step.type, message: (error as Error).message });
      script.return();
    }
  };

  try {
    let filed = 0;
    while (queue.length > 0) {
      const batch = queue.splice(0, options.concurrency);
      filed += batch.filter((p) => p.step.type === 'FileDispute').length;
      await Promise.all(batch.map(run));
      options.onProgress?.(filed, options.disputes);
    }
    for (const row of await listStages(app)) report.byStage[row.stage] = row.count;
  } finally {
    await app.close();
    if (previousLogLevel === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = previousLogLevel;
  }
  report.elapsedMs = Date.now() - started;
  return report;
}

/** Disputes per stage, from the event store itself (the projections may still be catching up). */
async function listStages(app: Awaited<ReturnType<typeof createApp>>): Promise<{ stage: string; count: number }[]> {
  const store = app.get<symbol, EventStore>(EVENT_STORE);
  const streams = new Map<string, StoredEvent[]>();
  for (let after = 0; ;) {
    const page = await store.readAll({ after, maxCount: 2000 });
    if (page.length === 0) break;
    for (const e of page) {
      if (!e.streamId.startsWith('dispute-')) continue;
      const events = streams.get(e.streamId) ?? [];
      events.push(e);
      streams.set(e.streamId, events);
    }
    after = page[page.length - 1].position;
  }
  const counts = new Map<string, number>();
  for (const events of streams.values()) {
    const stage = foldStored(events)?.stage ?? 'unknown';
    counts.set(stage, (counts.get(stage) ?? 0) + 1);
  }
  return [...counts].map(([stage, count]) => ({ stage, count }));
}

export function registerSeedCommand(program: Command): Command {
  return program
    .command('seed')
    .description('Fill DATA_DIR with realistic demo disputes (every stage, channel and category), through the real application')
    .addOption(new Option('--disputes <n>', 'how many disputes').argParser(positiveInt('--disputes')).default(1000))
    .addOption(new Option('--data-dir <dir>', 'where the embedded store keeps its files').env('DATA_DIR').default('./data'))
    .addOption(new Option('--months <n>', 'spread the disputes over the past n months').argParser(positiveInt('--months')).default(6))
    .addOption(new Option('--concurrency <n>', 'commands in flight at once').argParser(positiveInt('--concurrency')).default(16))
    .addOption(
      new Option('--random-seed <n>', 'seed of the generator (same seed, same shape)').argParser(positiveInt('--random-seed')).default(42),
    )
    .option('--json', 'print the report as JSON', false)
    .addHelpText('after', '\nExample:\n  npm run cli -- seed --disputes 5000 --data-dir ./data')
    .action((options: Omit<SeedOptions, 'onProgress' | 'now'> & { json: boolean }) =>
      runCommand(async () => {
        const bar = progressBar('seeding', options.disputes);
        const report = await seed({ ...options, onProgress: (done) => bar.update(done) }).finally(() => bar.stop());
        if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else {
          process.stdout.write(
            `seeded ${report.disputes} disputes with ${report.commands} commands in ${(report.elapsedMs / 1000).toFixed(1)} s\n`,
          );
          process.stdout.write(
            `stages: ${Object.entries(report.byStage)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}\n`,
          );
          process.stdout.write(
            `stories: ${Object.entries(report.byScenario)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}\n`,
          );
          if (report.refused.length > 0) {
            process.stdout.write(`${report.refused.length} commands refused (the dispute stopped there):\n`);
            for (const r of report.refused.slice(0, 10)) process.stdout.write(`  ${r.status} ${r.type}: ${r.message}\n`);
          }
        }
        return EXIT.ok;
      }),
    );
}
