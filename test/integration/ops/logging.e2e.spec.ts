import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, freePort } from '../../support/child-server';
import { client, fileBody, TEST_SECRET, tokenFor } from '../../support/http-client';
import { removeDir } from '../../support/test-app';

const ROOT = join(__dirname, '..', '..', '..');

beforeAll(() => ensureBuilt(), 180_000);

describe('structured logs', () => {
  it('are JSON lines with request id, correlation id and dispute id, and no personal data or credentials', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-logs-'));
    const port = await freePort();
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), AUTH_JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stdout += String(chunk)));
    const http = client(`http://127.0.0.1:${port}`);
    try {
      for (let i = 0; i < 100 && !stdout.includes('listening on'); i++) await new Promise((r) => setTimeout(r, 100));
      const token = tokenFor('agent', 'agent-7');
      const secretText = 'my address is 12 Secret Lane, call 555-0199';
      const filed = await http.post('/api/v1/disputes', token, fileBody({ customerId: 'cust-PII-42', description: secretText }), {
        'x-correlation-id': 'corr-abc',
        'x-request-id': 'req-123',
      });
      expect(filed.status).toBe(201);
      expect(filed.headers.get('x-request-id')).toBe('req-123');
      const id = filed.body.id as string;
      await http.post(`/api/v1/disputes/${id}/acknowledge`, token, { message: 'hello' });
      await http.get('/api/v1/disputes?customerId=cust-PII-42', token);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      removeDir(dataDir);
    }
    const lines = stdout.split('\n').filter((l) => l.trim() !== '');
    const records = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, any>;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
    const requests = records.filter((r) => r.msg === 'request completed');
    expect(requests.length).toBeGreaterThanOrEqual(3);
    const created = requests.find((r) => r.req?.method === 'POST' && r.req?.path === '/api/v1/disputes');
    expect(created).toMatchObject({
      level: 30,
      service: 'casetrail',
      correlationId: 'corr-abc',
      req: { id: 'req-123' },
      res: { statusCode: 201 },
      actorId: 'agent-7',
    });
    expect(created!.disputeId).toEqual(expect.any(String));
    const ack = requests.find((r) => r.req?.path?.endsWith('/acknowledge'));
    expect(ack).toMatchObject({ disputeId: created!.disputeId, correlationId: expect.any(String), req: { id: expect.any(String) } });
    expect(records.some((r) => r.context === 'Shutdown')).toBe(true);

    const all = stdout;
    expect(all).not.toContain('12 Secret Lane');
    expect(all).not.toContain('cust-PII-42');
    expect(all).not.toContain('Bearer ');
    expect(all).not.toContain(tokenFor('agent', 'agent-7').split('.')[2]);
  }, 60_000);
});
