import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, freePort, startChildServer } from '../../support/child-server';
import { fileBody, tokenFor } from '../../support/http-client';
import { removeDir, startTestApp } from '../../support/test-app';

interface Outcome {
  index: number;
  status?: number;
  body?: string;
  error?: string;
  answeredAt?: number;
}

/**
 * One request on its own connection, sent in two parts: the headers and half the body now, the rest when
 * `finish()` is called. Once the server has read the headers the request is accepted (in flight).
 */
function slowPost(port: number, path: string, token: string, body: unknown, index: number): { finish(): void; done: Promise<Outcome> } {
  const payload = Buffer.from(JSON.stringify(body));
  const half = Math.floor(payload.length / 2);
  let req!: ReturnType<typeof request>;
  const done = new Promise<Outcome>((resolve) => {
    req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': payload.length },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += String(chunk)));
        res.on('end', () => resolve({ index, status: res.statusCode, body: text, answeredAt: Date.now() }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ index, error: error.code ?? error.message }));
    req.flushHeaders();
    req.write(payload.subarray(0, half));
  });
  return { finish: () => req.end(payload.subarray(half)), done };
}

function post(port: number, path: string, token: string, body: unknown): Promise<Outcome> {
  const r = slowPost(port, path, token, body, 0);
  r.finish();
  return r.done;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(() => ensureBuilt(), 180_000);

describe('graceful shutdown on SIGTERM', () => {
  it('answers every request it accepted, then closes the stores cleanly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-sigterm-'));
    const port = await freePort();
    const server = await startChildServer(dataDir, port);
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      server.process.once('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      const token = tokenFor('agent', 'agent-1');
      // 40 requests the server has accepted (headers read, body still arriving) when SIGTERM comes.
      const inFlight = Array.from({ length: 40 }, (_, i) => slowPost(port, '/api/v1/disputes', token, fileBody({ orderId: `o-${i}` }), i));
      await sleep(500);
      const killedAt = Date.now();
      server.process.kill('SIGTERM');
      await sleep(300);
      expect(server.process.exitCode).toBeNull(); // still draining
      inFlight.forEach((r) => r.finish());
      const outcomes = await Promise.all(inFlight.map((r) => r.done));
      const { signal, code } = await exited;
      expect(signal === 'SIGTERM' || code === 0).toBe(true);

      // Every accepted request was processed and answered after the signal, none reset.
      expect(outcomes.filter((o) => o.status !== 201)).toEqual([]);
      expect(outcomes.every((o) => o.answeredAt! > killedAt)).toBe(true);
      const created = outcomes;

      // After the restart every acknowledged dispute is there, with an intact chain.
      const t = await startTestApp({ dataDir });
      try {
        for (const o of created) {
          const id = JSON.parse(o.body!).id as string;
          const verify = await t.http.get(`/api/v1/disputes/${id}/audit/verify`, tokenFor('auditor'));
          expect({ id, status: verify.status, valid: verify.body.valid }).toEqual({ id, status: 200, valid: true });
        }
      } finally {
        await t.close();
      }
    } finally {
      await server.kill('SIGKILL');
      removeDir(dataDir);
    }
  }, 60_000);

  it('refuses new connections once it has stopped', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-sigterm-'));
    const port = await freePort();
    const server = await startChildServer(dataDir, port);
    try {
      await server.kill('SIGTERM');
      const after = await post(port, '/api/v1/disputes', tokenFor('agent'), fileBody());
      expect(after.error).toBe('ECONNREFUSED');
    } finally {
      await server.kill('SIGKILL');
      removeDir(dataDir);
    }
  }, 60_000);
});
