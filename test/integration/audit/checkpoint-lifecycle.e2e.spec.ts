import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteCheckpointStore } from '../../../src/audit-trail/checkpoint-store';
import { SqliteEventStore } from '../../../src/event-store/sqlite-event-store';
import { fileBody, tokenFor } from '../../support/http-client';
import { newEvent } from '../../support/tamper';
import { removeDir, startTestApp } from '../../support/test-app';

const AGENT = tokenFor('agent', 'agent-1');

async function storedCheckpoints(dataDir: string) {
  const store = new SqliteCheckpointStore(join(dataDir, 'events.db'));
  try {
    return await store.list();
  } finally {
    await store.close();
  }
}

/** When the service writes checkpoints: over an existing log at start, on its interval, and on shutdown. */
describe('checkpoints over the service lifetime', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  it('an existing log without checkpoints gets its first one at start; shutdown signs what came since; a restart with nothing new signs nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-audit-life-'));
    dirs.push(dataDir);
    const legacy = new SqliteEventStore(join(dataDir, 'events.db'));
    await legacy.append('legacy-stream', [newEvent('LegacyThing', { n: 1 }), newEvent('LegacyThing', { n: 2 })], 'no_stream');
    await legacy.close();

    const t = await startTestApp({ dataDir, env: { AUDIT_CHECKPOINT_INTERVAL_MS: '0' } });
    const first = await storedCheckpoints(dataDir);
    expect(first).toEqual([expect.objectContaining({ sequence: 0, streams: 1, events: 2, headPosition: 2, prevCheckpointHash: null })]);
    expect((await t.http.post('/api/v1/disputes', AGENT, fileBody())).status).toBe(201);
    await t.close();
    const afterShutdown = await storedCheckpoints(dataDir);
    expect(afterShutdown).toHaveLength(2);
    expect(afterShutdown[1]).toMatchObject({ sequence: 1, streams: 2, events: 3, prevCheckpointHash: first[0].checkpointHash });

    const again = await startTestApp({ dataDir, env: { AUDIT_CHECKPOINT_INTERVAL_MS: '0' } });
    await again.close();
    expect(await storedCheckpoints(dataDir)).toHaveLength(2);
  });

  it('writes one every AUDIT_CHECKPOINT_INTERVAL_MS while the log grows', async () => {
    const t = await startTestApp({ env: { AUDIT_CHECKPOINT_INTERVAL_MS: '100' } });
    dirs.push(t.dataDir);
    try {
      expect(await storedCheckpoints(t.dataDir)).toEqual([]); // an empty log: nothing to sign
      expect((await t.http.post('/api/v1/disputes', AGENT, fileBody())).status).toBe(201);
      const deadline = Date.now() + 5000;
      while ((await storedCheckpoints(t.dataDir)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await storedCheckpoints(t.dataDir)).toEqual([expect.objectContaining({ sequence: 0, events: 1 })]);
      expect((await t.http.get('/health')).body.audit.lastCheckpoint).toMatchObject({ sequence: 0 });
    } finally {
      await t.close();
    }
  });
});
