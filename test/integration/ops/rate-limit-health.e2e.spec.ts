import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../../src/app.factory';
import { loadConfig } from '../../../src/config/app-config';
import { ProjectionMonitor } from '../../../src/ops/projection-monitor';
import { ShutdownState } from '../../../src/ops/shutdown';
import { client, fileBody, TEST_SECRET, tokenFor } from '../../support/http-client';
import { removeDir, useTestApp } from '../../support/test-app';

async function startWith(
  env: Record<string, string>,
): Promise<{ app: NestFastifyApplication; http: ReturnType<typeof client>; dataDir: string }> {
  process.env.LOG_LEVEL = 'silent';
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-ops-'));
  const app = await createApp(loadConfig({ DATA_DIR: dataDir, AUTH_JWT_SECRET: TEST_SECRET, ...env }));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, http: client(`http://127.0.0.1:${port}`), dataDir };
}

describe('rate limiting', () => {
  it('answers 429 with Retry-After and the error body once a user spends its budget; other users and /health are not affected', async () => {
    const s = await startWith({ RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_PER_MINUTE_PER_IP: '0' });
    try {
      const alice = tokenFor('agent', 'alice');
      const bob = tokenFor('agent', 'bob');
      const statuses: number[] = [];
      // One budget across routes: a list, a write, a read...
      statuses.push((await s.http.get('/api/v1/disputes', alice)).status);
      statuses.push((await s.http.post('/api/v1/disputes', alice, fileBody())).status);
      statuses.push((await s.http.get('/api/v1/disputes', alice)).status);
      const limited = await s.http.post('/api/v1/disputes', alice, fileBody());
      expect(statuses).toEqual([200, 201, 200]);
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: expect.stringContaining('3 requests per minute'),
      });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect((await s.http.get('/api/v1/disputes', bob)).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await s.http.get('/health')).status).toBe(200);
      expect((await s.http.get('/metrics')).status).toBe(200);
    } finally {
      await s.app.close();
      removeDir(s.dataDir);
    }
  });

  it('limits per client address across users', async () => {
    const s = await startWith({ RATE_LIMIT_PER_MINUTE_PER_IP: '4' });
    try {
      const results: number[] = [];
      for (let i = 0; i < 6; i++) results.push((await s.http.get('/api/v1/disputes', tokenFor('agent', `user-${i}`))).status);
      expect(results).toEqual([200, 200, 200, 200, 429, 429]);
    } finally {
      await s.app.close();
      removeDir(s.dataDir);
    }
  });

  it('is off with 0, and generous by default', () => {
    expect(loadConfig({}).ops).toMatchObject({ rateLimitPerUserPerMinute: 60_000, rateLimitPerIpPerMinute: 120_000 });
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }).ops.rateLimitPerUserPerMinute).toBe(0);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  it('needs the token once it is configured', async () => {
    const token = 'metrics-token-0123456789';
    const s = await startWith({ METRICS_TOKEN: token });
    try {
      const denied = await s.http.get('/metrics');
      expect(denied.status).toBe(401);
      expect(denied.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect((await s.http.get('/metrics', tokenFor('admin'))).status).toBe(401);
      expect((await s.http.get('/metrics', undefined, { authorization: `Bearer ${token}` })).status).toBe(200);
    } finally {
      await s.app.close();
      removeDir(s.dataDir);
    }
  });
});

describe('GET /health', () => {
  const t = useTestApp();

  it('is public and reports the stores and every projection, with terminus details', async () => {
    await t.http.post('/api/v1/disputes', tokenFor('agent'), fileBody());
    const reply = await t.http.get('/health');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      status: 'ok',
      eventStore: { status: 'up', headPosition: 1 },
      readStore: { status: 'up', dialect: 'sqlite' },
      details: { eventStore: { status: 'up' }, readStore: { status: 'up' }, projections: { status: 'up' } },
    });
    expect(reply.body.projections.length).toBeGreaterThan(0);
    for (const p of reply.body.projections)
      expect(p).toMatchObject({ name: expect.any(String), position: expect.any(Number), lagEvents: expect.any(Number), error: null });
  });

  it('answers 503 when the read store does not answer', async () => {
    const monitor = t.app.get(ProjectionMonitor);
    const ping = monitor.pingReadStore;
    monitor.pingReadStore = () => Promise.reject(new Error('database is locked'));
    try {
      const reply = await t.http.get('/health');
      expect(reply.status).toBe(503);
      expect(reply.body).toMatchObject({
        status: 'degraded',
        readStore: { status: 'down', error: 'database is locked' },
        details: { readStore: { status: 'down' } },
      });
    } finally {
      monitor.pingReadStore = ping;
    }
  });

  it('answers 503 shutting_down from SIGTERM on, so load balancers stop routing', async () => {
    const state = t.app.get(ShutdownState);
    state.shuttingDown = true;
    try {
      const reply = await t.http.get('/health');
      expect(reply.status).toBe(503);
      expect(reply.body.status).toBe('shutting_down');
    } finally {
      state.shuttingDown = false;
    }
  });
});

describe('correlation and request ids', () => {
  const t = useTestApp();

  it('echoes X-Correlation-Id and writes it into the events; generates one when absent', async () => {
    const agent = tokenFor('agent');
    const given = await t.http.post('/api/v1/disputes', agent, fileBody(), { 'x-correlation-id': 'ticket-4711' });
    expect(given.headers.get('x-correlation-id')).toBe('ticket-4711');
    const events = await t.http.get(`/api/v1/disputes/${given.body.id}/events`, tokenFor('auditor'));
    expect(events.body.items[0].metadata.correlationId).toBe('ticket-4711');

    const generated = await t.http.post('/api/v1/disputes', agent, fileBody({ orderId: 'o-2' }));
    const id = generated.headers.get('x-correlation-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const trail = await t.http.get(`/api/v1/disputes/${generated.body.id}/events`, tokenFor('auditor'));
    expect(trail.body.items[0].metadata.correlationId).toBe(id);

    const unsafe = await t.http.get('/health', undefined, { 'x-correlation-id': 'bad id with spaces; and {braces}' });
    expect(unsafe.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
