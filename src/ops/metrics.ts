import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const METRICS_PREFIX = 'casetrail_';

/**
 * The application's Prometheus registry (one per app instance, never prom-client's global one, so tests
 * can run several apps in one process). Other modules add their own metrics here, e.g. the SLA engine:
 *
 *   constructor(private readonly metrics: MetricsService) {
 *     this.atRisk = metrics.gauge({ name: 'casetrail_sla_clocks_at_risk', help: '...', labelNames: ['kind'] });
 *   }
 *
 * `gauge`/`counter`/`histogram` return the existing metric when the name is already registered.
 * A gauge can also be computed at scrape time with `collect() { this.set(...) }` (see projection lag).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly commands: Counter<'command' | 'outcome' | 'status'>;
  readonly commandDuration: Histogram<'command'>;
  readonly eventsAppended: Counter<'type'>;
  readonly compensationsPaid: Counter<'currency'>;
  readonly compensationAmountPaid: Counter<'currency'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: METRICS_PREFIX });
    this.httpDuration = this.histogram({
      name: `${METRICS_PREFIX}http_request_duration_seconds`,
      help: 'HTTP request latency by route pattern (never the raw URL), method and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    this.commands = this.counter({
      name: `${METRICS_PREFIX}commands_total`,
      help: 'Commands by type and outcome: applied, replayed (idempotent retry), refused (4xx, status says which) or failed (5xx)',
      labelNames: ['command', 'outcome', 'status'],
    });
    this.commandDuration = this.histogram({
      name: `${METRICS_PREFIX}command_duration_seconds`,
      help: 'Time to decide and append one command, by command type',
      labelNames: ['command'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    });
    this.eventsAppended = this.counter({
      name: `${METRICS_PREFIX}events_appended_total`,
      help: 'Events appended to the log by this instance, by event type',
      labelNames: ['type'],
    });
    this.compensationsPaid = this.counter({
      name: `${METRICS_PREFIX}compensations_paid_total`,
      help: 'Compensations paid (CompensationPaid events appended by this instance)',
      labelNames: ['currency'],
    });
    this.compensationAmountPaid = this.counter({
      name: `${METRICS_PREFIX}compensations_paid_amount_minor_total`,
      help: 'Sum of compensation paid, in minor units (fen for CNY)',
      labelNames: ['currency'],
    });
  }

  counter<L extends string>(config: {
    name: string;
    help: string;
    labelNames?: readonly L[];
    collect?: (this: Counter<L>) => void | Promise<void>;
  }): Counter<L> {
    return (
      (this.registry.getSingleMetric(config.name) as Counter<L> | undefined) ?? new Counter<L>({ ...config, registers: [this.registry] })
    );
  }

  gauge<L extends string>(config: {
    name: string;
    help: string;
    labelNames?: readonly L[];
    collect?: (this: Gauge<L>) => void | Promise<void>;
  }): Gauge<L> {
    return (this.registry.getSingleMetric(config.name) as Gauge<L> | undefined) ?? new Gauge<L>({ ...config, registers: [this.registry] });
  }

  histogram<L extends string>(config: { name: string; help: string; labelNames?: readonly L[]; buckets?: number[] }): Histogram<L> {
    return (
      (this.registry.getSingleMetric(config.name) as Histogram<L> | undefined) ??
      new Histogram<L>({ ...config, registers: [this.registry] })
    );
  }

  /** The Prometheus text exposition (content type `registry.contentType`). */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
