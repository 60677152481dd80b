import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, fileBody, tokenFor } from '../../support/http-client';
import { ensureBuilt, freePort, startChildServer } from '../../support/child-server';
import { removeDir } from '../../support/test-app';

const AGENT = tokenFor('agent', 'agent-1');
jest.setTimeout(120_000);

/**
 * kill -9 in the middle of a stream of commands: after a restart on the same DATA_DIR, every command that
 * was answered 2xx is there. Answers cut off by the kill may or may not have been applied; none may be lost.
 */
describe('a crash loses no acknowledged command', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-crash-'));
  beforeAll(() => ensureBuilt());
  afterAll(() => removeDir(dataDir));

  it('finds every 2xx dispute and acknowledgement after SIGKILL and restart', async () => {
    const port = await freePort();
    const server = await startChildServer(dataDir, port);
    const http = client(server.baseUrl);
    const acknowledged = new Map<string, number>(); // dispute id → version answered
    let stop = false;
    let answered = 0;

    const worker = async (n: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const filed = await http.post('/api/v1/disputes', AGENT, fileBody({ customerId: `crash-${n}-${i}` }));
          if (filed.status !== 201) continue;
          acknowledged.set(filed.body.id, filed.body.version);
          answered++;
          const ack = await http.post(`/api/v1/disputes/${filed.body.id}/acknowledge`, AGENT, { message: 'on it' });
          if (ack.status === 200) acknowledged.set(filed.body.id, ack.body.version);
        } catch {
          return; // the server died under us
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, n) => worker(n));
    while (answered < 150) await new Promise((r) => setTimeout(r, 10));
    await server.kill('SIGKILL'); // mid-stream: requests are in flight
    stop = true;
    await Promise.all(workers);
    expect(acknowledged.size).toBeGreaterThanOrEqual(150);

    const restarted = await startChildServer(dataDir, port);
    try {
      const after = client(restarted.baseUrl);
      const missing: string[] = [];
      for (const [id, version] of acknowledged) {
        const r = await after.get(`/api/v1/disputes/${id}`, AGENT);
        if (r.status !== 200 || r.body.version < version) missing.push(`${id}@${version} → ${r.status} v${r.body?.version}`);
      }
      expect(missing).toEqual([]);
      const verify = await after.get(`/api/v1/disputes/${[...acknowledged.keys()][0]}/audit/verify`, tokenFor('auditor'));
      expect(verify.body.valid).toBe(true);
    } finally {
      await restarted.kill('SIGTERM');
    }
  });
});
