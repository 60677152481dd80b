import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, SqliteEventStore } from '../../../src/event-store/sqlite-event-store';
import { ProjectionRunner } from '../../../src/read-side/engine/runner';
import { PROJECTIONS } from '../../../src/read-models/registry';
import { rebuildProjectionsTogether } from '../../../src/read-side/engine/rebuild';
import { rebuildProjections } from '../../../src/read-models/offline-rebuild';
import { openSqliteReadStore, ReadStore } from '../../../src/read-side/store/read-store';
import { prng, writeRandomHistory } from '../../support/random-history';
import { dumpTable, postgresReadStore, sqliteReadStore, TestReadStore } from '../../support/read-stores';
import { removeDir } from '../../support/test-app';

jest.setTimeout(240_000);

/** Every table of every rebuildable read model, by primary key. */
const TABLES: Record<string, string[]> = {
  disputes: ['dispute_id'],
  compensations: ['compensation_id'],
  customer_compensations: ['dispute_id', 'compensated_at'],
  sla_deadlines: ['dispute_id', 'clock_key'],
  sla_breaches: ['breach_id'],
  audit_events: ['position'],
  sla_penalties: ['penalty_id'],
};

async function dumpAll(store: ReadStore): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [table, key] of Object.entries(TABLES)) out[table] = await dumpTable(store, table, key);
  return out;
}

/** Penalties applied, reversed, applied again (same breach and subject), interleaved with the disputes. */
async function writePenalties(log: SqliteEventStore, count: number, seed: number): Promise<void> {
  const r = prng(seed);
  const meta = {
    actorId: 'sla-scheduler',
    actorRoles: ['system'],
    commandId: 'c',
    correlationId: 'c',
    causationId: null,
    policyVersion: 1,
    schemaVersion: 1,
  };
  for (let i = 0; i < count; i++) {
    const subjectType = r.chance(0.5) ? 'agent' : 'department';
    const subjectId = subjectType === 'agent' ? `agent-${r.int(4)}` : `dept-${r.int(2)}`;
    const breachId = `breach-${r.int(count / 3)}`;
    const at = new Date(Date.parse('2026-02-01T00:00:00Z') + i * 60_000).toISOString();
    const event = r.chance(0.6)
      ? {
          type: 'PenaltyApplied',
          data: {
            subjectType,
            subjectId,
            breachId,
            disputeId: `d-${i}`,
            channel: r.chance(0.5) ? 'web' : null,
            month: '2026-02',
            points: 1 + r.int(3),
            confirmedInMonth: 1,
            actions: [{ kind: 'warning' }],
            trainingDueAt: null,
            suspension: null,
            at,
          },
        }
      : {
          type: 'PenaltyReversed',
          data: { subjectType, subjectId, breachId, pointsRestored: 1, actionsWithdrawn: [], reason: 'appeal', at },
        };
    await log.append(`${subjectType}-${subjectId}`, [{ ...event, metadata: meta }], 'any');
  }
}

describe('rebuilding every projection in one pass over the log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-one-pass-'));
  let log: SqliteEventStore;
  let expected: Record<string, string[]>;
  const stores: TestReadStore[] = [];

  beforeAll(async () => {
    log = openSqliteEventStore(dir);
    await writeRandomHistory(log, { commands: 3000, seed: 11 });
    await writePenalties(log, 300, 12);
    await writeRandomHistory(log, { commands: 3000, seed: 13, start: '2026-03-02T01:00:00.000Z' });
    // The reference: each projection fed alone by the live runner in small batches; penalties one event per
    // batch (so their in-batch fold is checked against applying each event in turn).
    const reference = await sqliteReadStore();
    stores.push(reference);
    for (const projection of PROJECTIONS()) {
      await new ProjectionRunner(reference.store.db, log, projection, { batchSize: projection.name === 'penalties' ? 1 : 53 }).catchUp();
    }
    expected = await dumpAll(reference.store);
    expect(expected.disputes.length).toBeGreaterThan(100);
    expect(expected.sla_deadlines.length).toBeGreaterThan(20);
    expect(expected.sla_penalties.length).toBeGreaterThan(20);
    expect(expected.sla_penalties.some((row) => row.includes('"reversed_at":"'))).toBe(true);
    expect(expected.audit_events.length).toBe(await log.headPosition());
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.cleanup()));
    await log.close();
    removeDir(dir);
  });

  it.each([7, 97, 5000])('equals each projection fed alone, every table, row by row (pages of %i events, SQLite)', async (batchSize) => {
    const target = await sqliteReadStore();
    stores.push(target);
    const reports = await rebuildProjectionsTogether(target.store.db, log, PROJECTIONS(), { batchSize });
    for (const report of reports) expect(report.position).toBe(await log.headPosition());
    expect(await dumpAll(target.store)).toEqual(expected);
  });

  it('equals it on PostgreSQL, swapped in beside live tables', async () => {
    const target = await postgresReadStore();
    stores.push(target);
    await rebuildProjectionsTogether(target.store.db, log, PROJECTIONS(), { batchSize: 211 });
    expect(await dumpAll(target.store)).toEqual(expected);
  });

  it('into a fresh embedded store (the offline rebuild), with the checkpoints handed to the live names', async () => {
    const readDir = mkdtempSync(join(tmpdir(), 'casetrail-one-pass-read-'));
    try {
      const reports = await rebuildProjections(log, readDir);
      expect(reports.map((r) => r.projection)).toEqual(PROJECTIONS().map((p) => p.name));
      const store = openSqliteReadStore(readDir);
      try {
        expect(await dumpAll(store)).toEqual(expected);
        const checkpoints = await store.db.selectFrom('projection_checkpoints').selectAll().orderBy('name').execute();
        expect(checkpoints.map((c) => [c.name, c.position])).toEqual(
          PROJECTIONS()
            .map((p) => p.name)
            .sort()
            .map((name) => [name, reports[0].position]),
        );
      } finally {
        await store.close();
      }
    } finally {
      removeDir(readDir);
    }
  });
});
