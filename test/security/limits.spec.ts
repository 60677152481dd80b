/**
 * Issue 12, finding 5 (limits), reproduced: /health and /metrics were refused under the per-address limit,
 * requests without a valid token were never limited, a drip-fed body held its connection for good, and one
 * user could open any number of event streams.
 * README "Tokens and limits" has the variables.
 */
import { connect, Socket } from 'node:net';
import { serverTimeouts } from '../../src/app.factory';
import { loadConfig } from '../../src/config/app-config';
import { SseStreams } from '../../src/ops/sse-streams';
import { tokenFor } from '../support/http-client';
import { removeDir, startTestApp, TestApp } from '../support/test-app';

/** One app per test with its own limits; TRUST_PROXY lets a test speak for several client addresses. */
async function withApp(env: Record<string, string>, run: (t: TestApp) => Promise<void>): Promise<void> {
  const t = await startTestApp({ env });
  try {
    await run(t);
  } finally {
    await t.close();
    removeDir(t.dataDir);
  }
}
const from = (address: string) => ({ 'x-forwarded-for': address });

describe('/health and /metrics are never rate limited', () => {
  it('answer 200 once the per-address budget is spent, and do not spend it', () =>
    withApp({ RATE_LIMIT_PER_MINUTE_PER_IP: '3' }, async (t) => {
      for (let i = 0; i < 10; i++) expect((await t.http.get('/health')).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await t.http.get('/metrics')).status).toBe(200);
      const spent: number[] = [];
      for (let i = 0; i < 4; i++) spent.push((await t.http.get('/api/v1/disputes', tokenFor('agent', `a-${i}`))).status);
      expect(spent).toEqual([200, 200, 200, 429]);
      for (let i = 0; i < 5; i++) expect((await t.http.get('/health')).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await t.http.get('/metrics')).status).toBe(200);
    }));

  it('are not charged to the per-user budget either', () =>
    withApp({ RATE_LIMIT_PER_MINUTE: '1' }, async (t) => {
      const admin = tokenFor('admin');
      expect((await t.http.get('/api/v1/sla/policy', admin)).status).toBe(200);
      expect((await t.http.get('/api/v1/sla/policy', admin)).status).toBe(429);
      expect((await t.http.get('/health', admin)).status).toBe(200);
      expect((await t.http.get('/metrics', admin)).status).toBe(200);
    }));
});

describe('failed authentication is counted per client address', () => {
  it('answers 429 with Retry-After after AUTH_FAILURES_PER_MINUTE_PER_IP bad tokens; other addresses and tokens verified before are unaffected', () =>
    withApp({ AUTH_FAILURES_PER_MINUTE_PER_IP: '5', TRUST_PROXY: 'true' }, async (t) => {
      const verifiedBefore = tokenFor('agent', 'colleague');
      expect((await t.http.get('/api/v1/disputes', verifiedBefore, from('10.0.0.1'))).status).toBe(200);
      const bad = tokenFor('agent', 'x', { secret: 'guessed-secret-guessed-secret' });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await t.http.get('/api/v1/disputes', bad, from('10.0.0.1'))).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401]);
      const limited = await t.http.get('/api/v1/disputes', bad, from('10.0.0.1'));
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: expect.stringContaining('too many failed authentications'),
      });
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // A token this instance never verified is not even checked from that address: guessing is bounded.
      expect((await t.http.get('/api/v1/disputes', tokenFor('agent', 'newcomer'), from('10.0.0.1'))).status).toBe(429);
      expect((await t.http.get('/api/v1/disputes', undefined, from('10.0.0.1'))).status).toBe(429);
      expect((await t.http.get('/api/v1/disputes', verifiedBefore, from('10.0.0.1'))).status).toBe(200);
      expect((await t.http.get('/api/v1/disputes', tokenFor('agent', 'newcomer'), from('10.0.0.2'))).status).toBe(200);
      expect((await t.http.get('/health', undefined, from('10.0.0.1'))).status).toBe(200);
    }));

  it('counts missing, malformed and expired tokens alike', () =>
    withApp({ AUTH_FAILURES_PER_MINUTE_PER_IP: '3', TRUST_PROXY: 'true' }, async (t) => {
      const statuses = [
        (await t.http.get('/api/v1/disputes', undefined, from('10.0.1.1'))).status,
        (await t.http.call('GET', '/api/v1/disputes', { headers: { ...from('10.0.1.1'), authorization: 'Bearer not-a-jwt' } })).status,
        (await t.http.get('/api/v1/disputes', tokenFor('agent', 'a', { expiresIn: '-1s' }), from('10.0.1.1'))).status,
        (await t.http.get('/api/v1/disputes', undefined, from('10.0.1.1'))).status,
      ];
      expect(statuses).toEqual([401, 401, 401, 429]);
    }));

  it('requests without a token count against the per-address request budget', () =>
    withApp({ RATE_LIMIT_PER_MINUTE_PER_IP: '3', AUTH_FAILURES_PER_MINUTE_PER_IP: '0' }, async (t) => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await t.http.get('/api/v1/disputes')).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      const limited = await t.http.get('/api/v1/disputes', tokenFor('agent'));
      expect(limited.status).toBe(429);
      expect(limited.body.message).toContain('3 requests per minute');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }));

  it('has a default sized for a team', () => {
    expect(loadConfig({}).ops.authFailuresPerMinutePerIp).toBe(30);
    expect(loadConfig({ AUTH_FAILURES_PER_MINUTE_PER_IP: '0' }).ops.authFailuresPerMinutePerIp).toBe(0);
    expect(() => loadConfig({ AUTH_FAILURES_PER_MINUTE_PER_IP: 'lots' })).toThrow(/AUTH_FAILURES_PER_MINUTE_PER_IP/);
  });
});

describe('slow clients are timed out', () => {
  /** Connects and sends `head`; resolves when the server closes the connection, with what it answered. */
  function openRaw(baseUrl: string, head: string): { socket: Socket; closed: Promise<{ afterMs: number; answer: string }> } {
    const { port } = new URL(baseUrl);
    const started = Date.now();
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => undefined);
    const closed = new Promise<{ afterMs: number; answer: string }>((resolve) =>
      socket.on('close', () => resolve({ afterMs: Date.now() - started, answer })),
    );
    socket.write(head);
    return { socket, closed };
  }

  it('closes a body dripped a byte at a time once REQUEST_TIMEOUT_MS has passed (408)', () =>
    withApp({ REQUEST_TIMEOUT_MS: '1000' }, async (t) => {
      const head = [
        'POST /api/v1/disputes HTTP/1.1',
        'Host: localhost',
        `Authorization: Bearer ${tokenFor('agent')}`,
        'Content-Type: application/json',
        'Content-Length: 1000',
        '',
        '',
      ].join('\r\n');
      const { socket, closed } = openRaw(t.baseUrl, head);
      const drip = setInterval(() => socket.writable && socket.write('{'), 200);
      try {
        const { afterMs, answer } = await closed;
        expect(afterMs).toBeGreaterThanOrEqual(900);
        expect(afterMs).toBeLessThan(3000);
        expect(answer).toMatch(/^HTTP\/1\.1 408/);
      } finally {
        clearInterval(drip);
        socket.destroy();
      }
      expect((await t.http.get('/health')).status).toBe(200);
    }));

  it('closes a connection whose headers never finish (HEADERS_TIMEOUT_MS)', () =>
    withApp({ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '500' }, async (t) => {
      const { socket, closed } = openRaw(t.baseUrl, 'GET /health HTTP/1.1\r\nHost: localhost\r\n');
      const drip = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 100);
      try {
        const { afterMs } = await closed;
        expect(afterMs).toBeLessThan(2000);
      } finally {
        clearInterval(drip);
        socket.destroy();
      }
    }));

  it('has defaults that close a drip-fed body within about 30 s', async () => {
    const ops = loadConfig({}).ops;
    expect(ops).toMatchObject({ requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, connectionTimeoutMs: 120_000 });
    expect(serverTimeouts(ops).http.connectionsCheckingInterval).toBe(1000); // a deadline kept to within a second
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '2000' })).toThrow(/HEADERS_TIMEOUT_MS/);
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '1000' }).ops.headersTimeoutMs).toBe(1000);
    await withApp({}, async (t) => {
      const server = t.app.getHttpServer();
      expect({ requestTimeout: server.requestTimeout, headersTimeout: server.headersTimeout, timeout: server.timeout }).toEqual({
        requestTimeout: 30_000,
        headersTimeout: 10_000,
        timeout: 120_000,
      });
    });
  });
});

describe('open event streams per user', () => {
  const STREAM = '/api/v1/queues/me/stream';

  it('answers 429 to the (N+1)th stream of one user, and frees the slot when a client disconnects', () =>
    // A short request deadline on purpose: it covers receiving the request, never a long response.
    withApp({ SSE_MAX_STREAMS_PER_USER: '2', REQUEST_TIMEOUT_MS: '300' }, async (t) => {
      const streams = t.app.get(SseStreams);
      const open: AbortController[] = [];
      const openStream = async (user: string) => {
        const controller = new AbortController();
        open.push(controller);
        const response = await fetch(`${t.baseUrl}${STREAM}`, {
          headers: { authorization: `Bearer ${tokenFor('agent', user)}` },
          signal: controller.signal,
        });
        if (response.status === 200)
          await response.body!.getReader().read(); // the first event: the stream is established
        else await response.text();
        return { status: response.status, response, controller };
      };
      try {
        const first = await openStream('alice');
        const second = await openStream('alice');
        expect([first.status, second.status]).toEqual([200, 200]);
        expect(streams.openFor('alice')).toBe(2);

        const third = await openStream('alice');
        expect(third.status).toBe(429);
        expect(third.response.headers.get('content-type')).toMatch(/application\/json/);
        expect(streams.openFor('alice')).toBe(2);
        expect((await openStream('bob')).status).toBe(200); // per user
        await new Promise((r) => setTimeout(r, 800));
        expect(streams.openFor('alice')).toBe(2); // still open past REQUEST_TIMEOUT_MS

        first.controller.abort();
        const deadline = Date.now() + 5000;
        while (streams.openFor('alice') > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        expect(streams.openFor('alice')).toBe(1);
        expect((await openStream('alice')).status).toBe(200);
        expect(streams.openFor('alice')).toBe(2);
      } finally {
        for (const controller of open) controller.abort();
      }
    }));

  it('defaults to 5 per user', () => {
    expect(loadConfig({}).ops.sseMaxStreamsPerUser).toBe(5);
  });
});
