import { fileBody, tokenFor } from '../../support/http-client';
import { parsePrometheusText, samples } from '../../support/prometheus';
import { useTestApp } from '../../support/test-app';

const AGENT = tokenFor('agent', 'agent-1');
const SUPERVISOR = tokenFor('supervisor', 'sup-1');

const t = useTestApp();

describe('GET /metrics', () => {
  it('is Prometheus text with HTTP latency per route, command outcomes, events, compensation paid and projection lag', async () => {
    const filed = await t.http.post('/api/v1/disputes', AGENT, fileBody({ category: 'delayed_shipment' }));
    expect(filed.status).toBe(201);
    const id = filed.body.id as string;
    expect((await t.http.post(`/api/v1/disputes/${id}/acknowledge`, AGENT, { message: 'sorry' })).status).toBe(200);
    const proposed = await t.http.post(`/api/v1/disputes/${id}/compensations`, AGENT, {
      type: 'compensation',
      amount: { amount: 5_000, currency: 'CNY' },
      reason: 'late',
    });
    expect(proposed.body.compensationStatus).toBe('approved');
    expect((await t.http.post(`/api/v1/disputes/${id}/compensations/${proposed.body.compensationId}/pay`, AGENT, {})).status).toBe(200);
    expect((await t.http.post(`/api/v1/disputes/${id}/acknowledge`, AGENT, { message: 'again' })).status).toBe(409); // refused
    expect((await t.http.post(`/api/v1/disputes/${id}/reject`, SUPERVISOR, { reason: 'x' })).status).toBe(409);
    expect((await t.http.get('/api/v1/disputes/no-such-dispute', AGENT)).status).toBe(404);

    const reply = await t.http.get('/metrics');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const metrics = parsePrometheusText(reply.body as string);

    expect(metrics.get('casetrail_http_request_duration_seconds')?.type).toBe('histogram');
    // The route pattern, never the raw URL (no dispute id in any label).
    const routes = new Set(samples(metrics, 'casetrail_http_request_duration_seconds_count').map((s) => s.labels.route));
    expect(routes).toEqual(expect.objectContaining({}));
    expect([...routes]).toEqual(
      expect.arrayContaining([
        '/api/v1/disputes',
        '/api/v1/disputes/:id/acknowledge',
        '/api/v1/disputes/:id/compensations/:compensationId/pay',
        '/api/v1/disputes/:id',
      ]),
    );
    expect(reply.body).not.toContain(id);
    expect(
      samples(metrics, 'casetrail_http_request_duration_seconds_count', {
        route: '/api/v1/disputes/:id/acknowledge',
        status_code: '409',
      })[0].value,
    ).toBe(1);

    expect(metrics.get('casetrail_commands_total')?.type).toBe('counter');
    const commands = (labels: Record<string, string>) => samples(metrics, 'casetrail_commands_total', labels)[0]?.value;
    expect(commands({ command: 'FileDispute', outcome: 'applied' })).toBe(1);
    expect(commands({ command: 'AcknowledgeDispute', outcome: 'applied' })).toBe(1);
    expect(commands({ command: 'AcknowledgeDispute', outcome: 'refused', status: '409' })).toBe(1);
    expect(commands({ command: 'RejectDispute', outcome: 'refused', status: '409' })).toBe(1);
    expect(commands({ command: 'PayCompensation', outcome: 'applied' })).toBe(1);

    const events = (type: string) => samples(metrics, 'casetrail_events_appended_total', { type })[0]?.value;
    expect(events('DisputeFiled')).toBe(1);
    expect(events('CompensationPaid')).toBe(1);
    expect(events('DisputeCompensated')).toBe(1);

    expect(samples(metrics, 'casetrail_compensations_paid_total', { currency: 'CNY' })[0].value).toBe(1);
    expect(samples(metrics, 'casetrail_compensations_paid_amount_minor_total', { currency: 'CNY' })[0].value).toBe(5_000);

    const lag = samples(metrics, 'casetrail_projection_lag_events');
    expect(lag.length).toBeGreaterThan(0);
    for (const s of lag) expect(s.labels.projection).toEqual(expect.any(String));
    expect(samples(metrics, 'casetrail_event_store_head_position')[0].value).toBeGreaterThan(0);
    expect(metrics.has('casetrail_process_cpu_seconds_total')).toBe(true);
  });

  it('needs no token by default, and lets other modules register their own metrics', async () => {
    const { MetricsService } = await import('../../../src/ops/metrics');
    const registry = t.app.get(MetricsService);
    const gauge = registry.gauge({ name: 'casetrail_sla_clocks_at_risk', help: 'test', labelNames: ['kind'] });
    gauge.set({ kind: 'first_response' }, 3);
    expect(registry.gauge({ name: 'casetrail_sla_clocks_at_risk', help: 'test', labelNames: ['kind'] })).toBe(gauge);
    const metrics = parsePrometheusText((await t.http.get('/metrics')).body as string);
    expect(samples(metrics, 'casetrail_sla_clocks_at_risk', { kind: 'first_response' })[0].value).toBe(3);
  });
});
