import { join } from 'node:path';
import fc from 'fast-check';
import { verifyAllChains } from '../../../src/cli/commands/verify-chains';
import { SqliteEventStore } from '../../../src/event-store/sqlite-event-store';
import { SqliteCheckpointStore } from '../../../src/audit-trail/checkpoint-store';
import { publicKeyFromDataDir } from '../../../src/audit-trail/signing-key';
import { LogVerification, verifyLog } from '../../../src/audit-trail/verify-log';
import { checkpointedLog, copyDataDir, readRows, rewriteLog, Row } from '../../support/tamper';
import { removeDir } from '../../support/test-app';

/**
 * Issue 13, finding: on a copied events.db, an attacker who recomputes the hashes passes the per-stream
 * chains. Each attack is shown passing the chain-only check (verifyAllChains, the old verify-chains), then
 * failing verification against the signed checkpoint, naming stream, revision, event id and kind.
 */
let original: { dataDir: string; file: string };
const copies: string[] = [];
beforeAll(async () => {
  original = await checkpointedLog({ streams: 5 });
});
afterAll(() => {
  for (const dir of [original?.dataDir, ...copies]) if (dir) removeDir(dir);
});

async function attack(transform: (rows: Row[]) => Row[], options: { rehash?: boolean } = {}) {
  const copy = copyDataDir(original.dataDir);
  copies.push(copy.dataDir);
  const before = readRows(copy.file);
  rewriteLog(copy.file, transform, options);
  const store = new SqliteEventStore(copy.file);
  const checkpoints = new SqliteCheckpointStore(copy.file);
  try {
    const chainsOnly = await verifyAllChains(store);
    const report = await verifyLog(store, checkpoints, publicKeyFromDataDir(copy.dataDir) ?? undefined);
    return { chainsOnly, report, before };
  } finally {
    await checkpoints.close();
    await store.close();
  }
}

const streamRows = (rows: Row[], streamId: string) => rows.filter((r) => r.stream_id === streamId);
const edited = (row: Row): Row => ({ ...row, data: JSON.stringify({ ...JSON.parse(row.data), text: 'changed by an attacker' }) });
const kinds = (report: LogVerification) => report.damages.map((d) => d.kind);

describe('tamper attacks on a copied, checkpointed events.db', () => {
  it('an untouched copy verifies, against a checkpoint covering every event', async () => {
    const { chainsOnly, report } = await attack((rows) => rows, { rehash: false });
    expect(chainsOnly.broken).toEqual([]);
    expect(report).toMatchObject({ valid: true, streams: 5, events: 15, checkpointsChecked: 1, eventsAfterCheckpoint: 0, damages: [] });
  });

  it('editing the last event and recomputing its hash: rewritten, at that revision and event', async () => {
    const { chainsOnly, report, before } = await attack((rows) =>
      rows.map((r) => (r.stream_id === 'dispute-s3' && r.revision === 3 ? edited(r) : r)),
    );
    expect(chainsOnly.broken).toEqual([]); // the finding: the chain alone passes
    const victim = streamRows(before, 'dispute-s3')[3];
    expect(report.valid).toBe(false);
    expect(report.damages).toEqual([
      expect.objectContaining({ kind: 'rewritten', streamId: 'dispute-s3', revision: 3, eventId: victim.event_id }),
    ]);
  });

  it('editing mid-stream and recomputing every later hash: rewritten, with the event at the committed head named', async () => {
    const { chainsOnly, report, before } = await attack((rows) =>
      rows.map((r) => (r.stream_id === 'dispute-s4' && r.revision === 1 ? edited(r) : r)),
    );
    expect(chainsOnly.broken).toEqual([]);
    expect(report.valid).toBe(false);
    expect(report.damages).toEqual([
      expect.objectContaining({
        kind: 'rewritten',
        streamId: 'dispute-s4',
        revision: 4,
        eventId: streamRows(before, 'dispute-s4')[4].event_id,
      }),
    ]);
    expect(report.damages[0].detail).toContain('between revision 0 and 4');
  });

  it("deleting a stream's last event: truncated, naming the stream and the missing revision", async () => {
    const { chainsOnly, report } = await attack((rows) => rows.filter((r) => !(r.stream_id === 'dispute-s2' && r.revision === 2)));
    expect(chainsOnly.broken).toEqual([]);
    expect(report.valid).toBe(false);
    expect(report.damages).toEqual([expect.objectContaining({ kind: 'truncated', streamId: 'dispute-s2', revision: 2 })]);
  });

  it('deleting a whole stream: stream-deleted', async () => {
    const { chainsOnly, report } = await attack((rows) => rows.filter((r) => r.stream_id !== 'dispute-s1'));
    expect(chainsOnly.broken).toEqual([]);
    expect(report.valid).toBe(false);
    expect(report.damages).toEqual([expect.objectContaining({ kind: 'stream-deleted', streamId: 'dispute-s1', revision: 1 })]);
  });

  it('reordering two events of a stream (re-hashed): rewritten at the first moved revision', async () => {
    const { chainsOnly, report, before } = await attack((rows) => {
      const i = rows.findIndex((r) => r.stream_id === 'dispute-s4' && r.revision === 1);
      const j = rows.findIndex((r) => r.stream_id === 'dispute-s4' && r.revision === 2);
      const out = [...rows];
      [out[i], out[j]] = [out[j], out[i]];
      return out;
    });
    expect(chainsOnly.broken).toEqual([]);
    expect(report.valid).toBe(false);
    expect(report.damages).toEqual([
      expect.objectContaining({
        kind: 'rewritten',
        streamId: 'dispute-s4',
        revision: 4,
        eventId: streamRows(before, 'dispute-s4')[4].event_id,
      }),
    ]);
  });

  it('inserting an event mid-stream (re-hashed, positions renumbered): rewritten', async () => {
    const { chainsOnly, report } = await attack((rows) => {
      const i = rows.findIndex((r) => r.stream_id === 'dispute-s3' && r.revision === 1);
      const forged: Row = { ...rows[i], event_id: '00000000-0000-4000-8000-000000000000', data: JSON.stringify({ forged: true }) };
      return [...rows.slice(0, i + 1), forged, ...rows.slice(i + 1)];
    });
    expect(chainsOnly.broken).toEqual([]);
    expect(report.valid).toBe(false);
    expect(report.damages).toEqual([expect.objectContaining({ kind: 'rewritten', streamId: 'dispute-s3', revision: 3 })]);
  });

  it('an edit left un-hashed is still caught by the chain: altered, at the edited event', async () => {
    const { chainsOnly, report, before } = await attack(
      (rows) => rows.map((r) => (r.stream_id === 'dispute-s2' && r.revision === 1 ? edited(r) : r)),
      { rehash: false },
    );
    expect(chainsOnly.broken).toHaveLength(1);
    expect(report.damages).toEqual([
      expect.objectContaining({
        kind: 'altered',
        streamId: 'dispute-s2',
        revision: 1,
        eventId: streamRows(before, 'dispute-s2')[1].event_id,
      }),
    ]);
  });

  it('rewriting the stored heads to match a rewritten stream: the signed Merkle root no longer matches', async () => {
    const copy = copyDataDir(original.dataDir);
    copies.push(copy.dataDir);
    rewriteLog(copy.file, (rows) => rows.map((r) => (r.stream_id === 'dispute-s3' && r.revision === 3 ? edited(r) : r)));
    const forged = readRows(copy.file).find((r) => r.stream_id === 'dispute-s3' && r.revision === 3)!;
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(copy.file);
    db.prepare("UPDATE audit_checkpoint_heads SET hash = ? WHERE stream_id = 'dispute-s3'").run(forged.hash);
    db.close();
    const store = new SqliteEventStore(copy.file);
    const checkpoints = new SqliteCheckpointStore(copy.file);
    const report = await verifyLog(store, checkpoints, publicKeyFromDataDir(copy.dataDir) ?? undefined);
    await checkpoints.close();
    await store.close();
    expect(report.valid).toBe(false);
    expect(kinds(report)).toEqual(['checkpoint']);
    expect(report.damages[0].detail).toContain('Merkle root');
  });
});

describe('property: any single edit of a checkpointed log is detected', () => {
  const fields = ['data', 'type', 'occurred_at', 'metadata', 'event_id', 'delete'] as const;
  it('whatever event, whatever field, re-hashed or not', async () => {
    const rows = readRows(join(original.dataDir, 'events.db'));
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: rows.length - 1 }),
        fc.constantFrom(...fields),
        fc.boolean(),
        fc.string({ minLength: 1, maxLength: 8 }),
        async (index, field, rehash, text) => {
          const { report } = await attack(
            (all) =>
              field === 'delete'
                ? all.filter((_, i) => i !== index)
                : all.map((r, i) => {
                    if (i !== index) return r;
                    switch (field) {
                      case 'data':
                        return { ...r, data: JSON.stringify({ ...JSON.parse(r.data), text: `x${text}` }) };
                      case 'metadata':
                        return { ...r, metadata: JSON.stringify({ ...JSON.parse(r.metadata), actorId: `x${text}` }) };
                      case 'type':
                        return { ...r, type: `${r.type}x${text}` };
                      case 'occurred_at':
                        return { ...r, occurred_at: '1999-01-01T00:00:00.000Z' };
                      default:
                        return { ...r, event_id: `forged-${text}` };
                    }
                  }),
            { rehash },
          );
          expect(report.valid).toBe(false);
          expect(report.damages.some((d) => d.streamId === rows[index].stream_id)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('incremental checkpoint checking (what the service does on reload)', () => {
  it('gives what a full check gives, and later checkpoints link to earlier ones', async () => {
    const { Checkpointer } = await import('../../../src/audit-trail/checkpointer');
    const { loadSigningKey } = await import('../../../src/audit-trail/signing-key');
    const { checkCheckpoints } = await import('../../../src/audit-trail/verify-log');
    const { newEvent } = await import('../../support/tamper');
    const copy = copyDataDir(original.dataDir);
    copies.push(copy.dataDir);
    const store = new SqliteEventStore(copy.file);
    const checkpoints = new SqliteCheckpointStore(copy.file);
    try {
      const key = loadSigningKey({ signingKey: null, dataDir: copy.dataDir });
      const first = await checkCheckpoints(checkpoints, key.publicKey);
      const checkpointer = new Checkpointer(store, checkpoints, key);
      for (let i = 0; i < 3; i++) {
        await store.append(`dispute-s${i}`, [newEvent('NoteAdded', { i })], 'any');
        await store.append(`dispute-new-${i}`, [newEvent('DisputeFiled', { i })], 'no_stream');
        expect(await checkpointer.checkpoint()).toMatchObject({ sequence: i + 1 });
      }
      expect(await checkpointer.checkpoint()).toBeNull(); // nothing new
      const incremental = await checkCheckpoints(checkpoints, key.publicKey, first);
      const full = await checkCheckpoints(checkpoints, key.publicKey);
      expect(incremental.latest).toEqual(full.latest);
      expect(incremental.damages).toEqual([]);
      expect([...incremental.heads.entries()].sort()).toEqual([...full.heads.entries()].sort());
      expect([...incremental.committed.entries()].sort()).toEqual([...full.committed.entries()].sort());
      expect(full.checked).toBe(4);
      expect((await verifyLog(store, checkpoints, key.publicKey)).valid).toBe(true);
    } finally {
      await checkpoints.close();
      await store.close();
    }
  });
});
