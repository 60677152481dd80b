import { HttpException, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { STATUS_OF_KIND } from '../common/http/error-status';
import { KindedError } from '../shared/errors';
import { EVENT_STORE, EventStore } from '../shared/event-sourcing/event-store.port';
import { EventStoreUnwritableError, isStorageFault } from '../event-store/write-health';
import { METRICS_PREFIX, MetricsService } from './metrics';
import { ProjectionMonitor, ProjectionStatus } from './projection-monitor';

/** The HTTP status a command failure becomes (the same mapping as ProblemFilter). */
export function statusOfError(error: unknown): number {
  if (error instanceof KindedError) return STATUS_OF_KIND[error.kind];
  if (error instanceof HttpException) return error.getStatus();
  if (error instanceof EventStoreUnwritableError || isStorageFault(error)) return 503;
  return 500;
}

/** A command's metric label: the request type a command carries (a dispute command's `request.type`), else its class. */
export function commandLabel(command: unknown): string {
  const type = (command as { request?: { type?: unknown } } | null)?.request?.type;
  if (typeof type === 'string') return type;
  return (command as object)?.constructor?.name ?? 'unknown';
}

/**
 * Counts command outcomes and appended events without touching the handlers: wraps CommandBus.execute and
 * EventStore.append of this application instance once, at module init. Everything that writes (HTTP, the
 * seed CLI, future SLA jobs) goes through these two, so nothing escapes the counters.
 */
@Injectable()
export class Instrumentation implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly moduleRef: ModuleRef,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly monitor: ProjectionMonitor,
  ) {}

  onModuleInit(): void {
    this.instrumentCommands();
    this.instrumentAppends();
    this.projectionGauges();
  }

  /** Computed at scrape time from the log's head and the projection engine's status. */
  private projectionGauges(): void {
    const monitor = this.monitor;
    // prom-client collects every metric concurrently: the gauges share one snapshot per scrape.
    let pending: Promise<{ head: number | null; statuses: ProjectionStatus[] }> | null = null;
    const snapshot = () =>
      (pending ??= Promise.all([monitor.headPosition().catch(() => null), monitor.statuses().catch(() => [] as ProjectionStatus[])])
        .then(([head, statuses]) => ({ head, statuses }))
        .finally(() => (pending = null)));
    const perProjection = (name: string, help: string, value: (p: ProjectionStatus) => number) =>
      this.metrics.gauge({
        name: `${METRICS_PREFIX}${name}`,
        help,
        labelNames: ['projection'],
        async collect() {
          this.reset();
          for (const p of (await snapshot()).statuses) this.set({ projection: p.name }, value(p));
        },
      });
    this.metrics.gauge({
      name: `${METRICS_PREFIX}event_store_head_position`,
      help: 'Position of the newest event in the log',
      async collect() {
        const { head } = await snapshot();
        if (head !== null) this.set(head);
      },
    });
    perProjection('projection_lag_events', 'Events of the log a projection has not applied yet', (p) => p.lagEvents);
    perProjection(
      'projection_lag_seconds',
      'Age of the oldest event a projection has not applied yet (0 when caught up)',
      (p) => p.lagSeconds,
    );
    perProjection('projection_position', 'Last log position a projection applied', (p) => p.position);
    perProjection('projection_failed', '1 when a projection stopped on an event it could not apply', (p) => (p.error === null ? 0 : 1));
  }

  private instrumentCommands(): void {
    // The bus lives in whichever module imports CqrsModule: look it up application-wide.
    const bus = this.moduleRef.get(CommandBus, { strict: false }) as CommandBus & { [INSTRUMENTED]?: true };
    if (bus[INSTRUMENTED]) return;
    bus[INSTRUMENTED] = true;
    const execute = bus.execute.bind(bus);
    const { commands, commandDuration } = this.metrics;
    bus.execute = (async (command: Parameters<CommandBus['execute']>[0]) => {
      const label = commandLabel(command);
      const stop = commandDuration.startTimer({ command: label });
      try {
        const result = await execute(command);
        const replayed = (result as { replayed?: unknown } | undefined)?.replayed === true;
        commands.inc({ command: label, outcome: replayed ? 'replayed' : 'applied', status: '2xx' });
        return result;
      } catch (error) {
        const status = statusOfError(error);
        commands.inc({ command: label, outcome: status >= 500 ? 'failed' : 'refused', status: String(status) });
        throw error;
      } finally {
        stop();
      }
    }) as CommandBus['execute'];
  }

  private instrumentAppends(): void {
    const store = this.store as EventStore & { [INSTRUMENTED]?: true };
    if (store[INSTRUMENTED]) return;
    store[INSTRUMENTED] = true;
    const append = store.append.bind(store);
    const { eventsAppended, compensationsPaid, compensationAmountPaid } = this.metrics;
    store.append = async (...args: Parameters<EventStore['append']>) => {
      const result = await append(...args);
      for (const event of result.events) {
        eventsAppended.inc({ type: event.type });
        if (event.type === 'CompensationPaid') {
          const amount = event.data.amount as { amount: number; currency: string } | null;
          const currency = amount?.currency ?? 'none';
          compensationsPaid.inc({ currency });
          if (amount && amount.amount > 0) compensationAmountPaid.inc({ currency }, amount.amount);
        }
      }
      return result;
    };
  }
}

const INSTRUMENTED = Symbol('casetrail:instrumented');
