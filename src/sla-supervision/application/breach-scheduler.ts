import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CLOCK, Clock } from '../../shared/clock';
import { DomainError } from '../../shared/errors';
import { Actor } from '../../shared/actor';
import { derivedId } from '../../shared/ids';
import { DisputeCommandResult, ExecuteDisputeCommand } from '../../disputes/application/execute-dispute-command';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { lockFor, ProjectionLock } from '../../read-side/engine/lock';
import { READ_STORE, ReadStore } from '../../read-side/store/read-store';

export const SLA_SCHEDULER: Actor = { id: 'sla-scheduler', roles: ['system'] };
const LOCK_NAME = 'sla-breach-scheduler';
/** Issue 14: deadlines keyed `investigation:<breachId>` are missed investigations, reported on the dispute. */
const INVESTIGATION = 'investigation:';

/**
 * Fires breaches: every tick it takes the deadlines that passed (a durable read model of every running
 * clock) and asks the dispute to record a breach. The dispute's stream decides: a clock that stopped is not
 * breached, and a clock already breached is refused, so a breach is never recorded twice, whatever
 * instance, retry or restart. Deadlines that passed while the service was down fire at the first tick.
 * Runs in one instance at a time (an advisory lock in PostgreSQL); the expected revision covers the rest.
 */
@Injectable()
export class BreachScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(BreachScheduler.name);
  private readonly lock: ProjectionLock;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<number> | null = null;
  private stopped = false;

  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly projections: ProjectionEngine,
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.lock = lockFor(readStore.pool);
  }

  onApplicationBootstrap(): void {
    const interval = this.config.slaSchedulerIntervalMs;
    if (interval === 0) return; // scheduler off (tests and tools tick it themselves)
    const tick = () => void this.tick().catch((error: Error) => this.logger.error(`tick failed: ${error.message}`));
    // The first tick runs at start (after every bootstrap hook), so deadlines missed while down are detected at once.
    setImmediate(tick);
    this.timer = setInterval(tick, interval);
    this.timer.unref();
  }

  /** Before the stores close (onApplicationShutdown), so a tick in progress can finish. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking?.catch(() => undefined);
    await this.lock.release(LOCK_NAME);
  }

  /** One pass; returns the number of breaches (and missed investigations) recorded. Ticks never overlap. */
  tick(): Promise<number> {
    if (this.ticking) return this.ticking;
    this.ticking = this.runTick().finally(() => (this.ticking = null));
    return this.ticking;
  }

  private async runTick(): Promise<number> {
    if (this.stopped || !(await this.lock.tryAcquire(LOCK_NAME))) return 0;
    await this.projections.waitForHead('disputes', 5000);
    const now = this.clock.now().toISOString();
    const due = await this.readStore.db
      .selectFrom('sla_deadlines')
      .select(['dispute_id', 'clock_key'])
      .where('due_at', '<', now)
      .orderBy('due_at')
      .limit(500)
      .execute();
    let recorded = 0;
    for (const deadline of due) {
      if (this.stopped) break;
      try {
        const result = await this.commands.execute<ExecuteDisputeCommand, DisputeCommandResult>(
          deadline.clock_key.startsWith(INVESTIGATION)
            ? ExecuteDisputeCommand.of(
                deadline.dispute_id,
                'RecordInvestigationOverdue',
                { breachId: deadline.clock_key.slice(INVESTIGATION.length) },
                SLA_SCHEDULER,
                {
                  commandId: derivedId(`${deadline.dispute_id}:${deadline.clock_key}`, 'investigation-command'),
                  correlationId: derivedId(`${deadline.dispute_id}:${deadline.clock_key}`, 'investigation-command'),
                  causationId: null,
                },
              )
            : ExecuteDisputeCommand.of(
                deadline.dispute_id,
                'RecordSlaBreach',
                { clockKey: deadline.clock_key, source: 'automatic' },
                SLA_SCHEDULER,
                {
                  commandId: derivedId(`${deadline.dispute_id}:${deadline.clock_key}`, 'breach-command'),
                  correlationId: derivedId(`${deadline.dispute_id}:${deadline.clock_key}`, 'breach-command'),
                  causationId: null,
                },
              ),
        );
        if (!result.replayed) recorded++;
      } catch (error) {
        // Stopped or already breached: the stream said no, and that is the answer.
        if (!(error instanceof DomainError))
          this.logger.warn(`deadline ${deadline.dispute_id} ${deadline.clock_key}: ${(error as Error).message}`);
      }
    }
    if (recorded > 0) await this.projections.waitForHead('disputes', 2000);
    return recorded;
  }
}
