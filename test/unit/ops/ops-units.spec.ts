import { ConfigError, loadConfig } from '../../../src/config/app-config';
import { csvField } from '../../../src/cli/commands/export-case';
import { stateDiff } from '../../../src/cli/commands/replay-case';
import { planDispute, prng, SCENARIOS, SeedRandom } from '../../../src/cli/seed/scenarios';
import { disputeScript } from '../../../src/cli/seed/dispute-script';
import { statusOfError } from '../../../src/ops/instrumentation';
import { throttlerOptions } from '../../../src/ops/rate-limit.guard';
import { disputeIdOf, ensureCorrelationId, pathOf } from '../../../src/ops/request-context';
import { conflict, invalid } from '../../../src/shared/errors';
import { evolve } from '../../../src/disputes/domain/dispute.evolve';
import { PreconditionFailedError } from '../../../src/shared/event-sourcing/command-errors';
import { parsePrometheusText, samples } from '../../support/prometheus';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('operations configuration', () => {
  it('has defaults that throttle nobody in tests or benchmarks', () => {
    expect(loadConfig({}).ops).toEqual({
      logLevel: 'info',
      rateLimitPerUserPerMinute: 60_000,
      rateLimitPerIpPerMinute: 120_000,
      trustProxy: false,
      metricsToken: null,
      healthMaxProjectionLag: 0,
      shutdownGraceMs: 0,
      authFailuresPerMinutePerIp: 30,
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      connectionTimeoutMs: 120_000,
      sseMaxStreamsPerUser: 5,
    });
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({
      LOG_LEVEL: 'loud',
      RATE_LIMIT_PER_MINUTE: 'many',
      RATE_LIMIT_PER_MINUTE_PER_IP: '-1',
      TRUST_PROXY: 'maybe',
      METRICS_TOKEN: 'short',
      HEALTH_MAX_PROJECTION_LAG: '1.5',
      SHUTDOWN_GRACE_MS: '999999',
    });
    for (const name of [
      'LOG_LEVEL',
      'RATE_LIMIT_PER_MINUTE ',
      'RATE_LIMIT_PER_MINUTE_PER_IP',
      'TRUST_PROXY',
      'METRICS_TOKEN',
      'HEALTH_MAX_PROJECTION_LAG',
      'SHUTDOWN_GRACE_MS',
    ]) {
      expect(problems.some((p) => p.startsWith(name))).toBe(true);
    }
    expect(problems).toHaveLength(7);
  });

  it('reads the values', () => {
    const ops = loadConfig({
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: '10',
      TRUST_PROXY: 'true',
      METRICS_TOKEN: 'x'.repeat(16),
      SHUTDOWN_GRACE_MS: '5000',
    }).ops;
    expect(ops).toMatchObject({
      logLevel: 'silent',
      rateLimitPerUserPerMinute: 10,
      trustProxy: true,
      metricsToken: 'x'.repeat(16),
      shutdownGraceMs: 5000,
    });
  });

  it('turns a rate limit off with 0', () => {
    const names = (env: NodeJS.ProcessEnv) =>
      (throttlerOptions(loadConfig(env).ops) as { throttlers: { name: string }[] }).throttlers.map((t) => t.name);
    expect(names({})).toEqual(['user', 'ip']);
    expect(names({ RATE_LIMIT_PER_MINUTE: '0' })).toEqual(['ip']);
    expect(names({ RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_PER_MINUTE_PER_IP: '0' })).toEqual([]);
  });
});

describe('request context', () => {
  it('keeps a sane correlation id, replaces anything else', () => {
    const req = (value?: string) => ({ headers: value === undefined ? {} : { 'x-correlation-id': value } }) as never;
    expect(ensureCorrelationId(req('order-42:retry.1'))).toBe('order-42:retry.1');
    const r = req('a b');
    const generated = ensureCorrelationId(r);
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(ensureCorrelationId(r)).toBe(generated);
    expect(ensureCorrelationId(req('x'.repeat(200)))).not.toBe('x'.repeat(200));
  });

  it('finds the dispute id in the path and never logs query strings', () => {
    expect(disputeIdOf({ url: '/api/v1/disputes/abc-1/close?x=1' } as never)).toBe('abc-1');
    expect(disputeIdOf({ url: '/api/v1/disputes?customerId=c-1' } as never)).toBeUndefined();
    expect(pathOf('/api/v1/disputes?customerId=c-1')).toBe('/api/v1/disputes');
  });

  it('maps command failures to the status the client sees', () => {
    expect(statusOfError(conflict('no'))).toBe(409);
    expect(statusOfError(invalid('no'))).toBe(400);
    expect(statusOfError(new PreconditionFailedError(1, 2))).toBe(412);
    expect(statusOfError(new Error('boom'))).toBe(500);
  });
});

describe('the Prometheus text parser used by the tests', () => {
  it('reads families, labels with escapes, histograms and special values', () => {
    const text = [
      '# HELP x_total Things, counted',
      '# TYPE x_total counter',
      'x_total{a="1",b="with \\"quotes\\", commas"} 3',
      '# HELP h Latency',
      '# TYPE h histogram',
      'h_bucket{le="0.1"} 1',
      'h_bucket{le="+Inf"} 2',
      'h_sum 0.3',
      'h_count 2',
      'g Nan',
    ].join('\n');
    const families = parsePrometheusText(text);
    expect(families.get('x_total')).toMatchObject({ type: 'counter', help: 'Things, counted' });
    expect(samples(families, 'x_total', { b: 'with "quotes", commas' })[0].value).toBe(3);
    expect(families.get('h')!.samples).toHaveLength(4);
    expect(samples(families, 'h_bucket', { le: '+Inf' })[0].value).toBe(2);
    expect(Number.isNaN(samples(families, 'g')[0].value)).toBe(true);
    expect(() => parsePrometheusText('not a metric line !')).toThrow(/not a sample/);
  });
});

describe('CLI helpers', () => {
  it('quotes CSV fields per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('');
    expect(csvField({ a: 1 })).toBe('"{""a"":1}"');
  });

  it('diffs states leaf by leaf for replay-case', () => {
    const filed = evolve(null, {
      type: 'DisputeFiled',
      data: {
        disputeId: 'd1',
        at: '2026-01-01T00:00:00.000Z',
        customerId: 'c',
        orderId: 'o',
        productSku: 'p',
        channel: 'web',
        category: 'quality_defect',
        description: 'x',
        purchasedAt: '2025-12-30T00:00:00.000Z',
        deliveredAt: null,
        requestedRemedy: 'refund',
        amountClaimed: null,
        proofOfPurchase: true,
        defectCode: null,
        itemIntact: null,
        priority: 'normal',
        repeatDefect: false,
        suggestedRemedy: 's',
      },
    });
    const acknowledged = evolve(filed, {
      type: 'DisputeAcknowledged',
      data: {
        disputeId: 'd1',
        at: '2026-01-01T01:00:00.000Z',
        message: 'hi',
        complex: false,
        estimatedResolutionAt: null,
        plan: null,
        respondedAt: '2026-01-01T01:00:00.000Z',
      },
    });
    const changes = stateDiff(filed, acknowledged);
    expect(changes).toEqual(
      expect.arrayContaining([
        { path: 'stage', before: 'filed', after: 'acknowledged' },
        { path: 'version', before: 1, after: 2 },
        { path: 'firstResponse.respondedAt', before: null, after: '2026-01-01T01:00:00.000Z' },
      ]),
    );
    expect(stateDiff(null, filed).some((c) => c.after === null)).toBe(false); // the filing shows what it says
  });

  it('plans seeded disputes over the past months, every story and channel represented', () => {
    const rnd = new SeedRandom(prng(7));
    const now = new Date('2026-06-01T00:00:00Z');
    const plans = Array.from({ length: 2000 }, (_, i) => planDispute(i, `d-${i}`, rnd, now, 6));
    expect(new Set(plans.map((p) => p.scenario))).toEqual(new Set(Object.keys(SCENARIOS)));
    expect(new Set(plans.map((p) => p.channel)).size).toBe(4);
    expect(new Set(plans.map((p) => p.category)).size).toBe(12);
    for (const p of plans) {
      expect(p.filedAt.getTime()).toBeLessThan(now.getTime());
      expect(p.filedAt.getTime()).toBeGreaterThan(now.getTime() - 181 * 86_400_000);
    }
    const script = disputeScript(plans[0], new SeedRandom(prng(1)), 100);
    const first = script.next(undefined as never);
    expect(first.value).toMatchObject({ type: 'FileDispute', at: plans[0].filedAt });
  });
});
