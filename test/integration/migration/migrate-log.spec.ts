import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from 'pg';
import { LogLocation, parseLocation, runMigrateLog } from '../../../src/cli/commands/migrate-log';
import { MIGRATE_EXIT } from '../../../src/cli/commands/migrate-to-eventstoredb';
import { PostgresEventStore } from '../../../src/event-store/postgres-event-store';
import { SqliteEventStore } from '../../../src/event-store/sqlite-event-store';
import { freshSchema } from '../../support/postgres-event-store';
import { buildLog, withoutPosition } from './embedded-log-fixture';

/** migrate-log between the embedded store and PostgreSQL, both ways (the machine's PostgreSQL, a fresh schema). */
describe('migrate-log', () => {
  const dirs: string[] = [];
  let schema: { url: string; drop(): Promise<void> };
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'casetrail-migrate-log-'));
    dirs.push(dir);
    return dir;
  };
  async function run(from: LogLocation, to: LogLocation, verifyOnly = false) {
    let out = '';
    let err = '';
    const stdout = new PassThrough().on('data', (chunk: Buffer) => (out += chunk.toString()));
    const stderr = new PassThrough().on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await runMigrateLog({ from, to, batch: 64, verifyOnly }, { out: stdout, err: stderr, progress: false });
    return { code, out, err };
  }

  beforeEach(async () => {
    schema = await freshSchema('mig');
  });
  afterEach(async () => {
    await schema.drop();
    dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  });

  it('copies the embedded log into PostgreSQL and back, identical each way; a second run copies nothing', async () => {
    const source = tempDir();
    const embedded = new SqliteEventStore(join(source, 'events.db'));
    await buildLog(embedded, { events: 300, streams: 17, seed: 5 });
    await embedded.close();
    const pg = parseLocation(schema.url);
    expect(pg.kind).toBe('postgres');

    const first = await run(parseLocation(source), pg);
    expect(first.err).toBe('');
    expect(first.code).toBe(MIGRATE_EXIT.ok);
    expect(first.out).toMatch(/copied 300 events in \d+ appends/);
    expect(first.out).toContain('verified: 300 events identical in PostgreSQL');
    const again = await run(parseLocation(source), pg);
    expect(again.code).toBe(MIGRATE_EXIT.ok);
    expect(again.out).toContain('copied 0 events');

    const back = tempDir();
    const returned = await run(pg, parseLocation(back));
    expect(returned.code).toBe(MIGRATE_EXIT.ok);
    expect(returned.out).toContain('verified: 300 events identical in the embedded log');
    const copy = new SqliteEventStore(join(back, 'events.db'));
    const original = new SqliteEventStore(join(source, 'events.db'));
    expect((await copy.readAll()).map(withoutPosition)).toEqual((await original.readAll()).map(withoutPosition));
    expect(await copy.readAll()).toHaveLength(300);
    await copy.close();
    await original.close();
  });

  it('reports an altered copy as a difference (exit 1) and resumes an interrupted copy without duplicates', async () => {
    const source = tempDir();
    const embedded = new SqliteEventStore(join(source, 'events.db'));
    await buildLog(embedded, { events: 120, streams: 9, seed: 8 });
    const head = await embedded.readAll({ maxCount: 50 });
    await embedded.close();

    // A partial copy (the first 50 events, as an interrupted run leaves it), then the command resumes.
    const target = new PostgresEventStore(schema.url);
    for (const event of head) {
      const { eventId, type, data, metadata, occurredAt } = event;
      await target.append(
        event.streamId,
        [{ eventId, type, data, metadata, occurredAt }],
        event.revision === 0 ? 'no_stream' : event.revision - 1,
      );
    }
    await target.close();
    const resumed = await run(parseLocation(source), parseLocation(schema.url));
    expect(resumed.code).toBe(MIGRATE_EXIT.ok);
    expect(resumed.out).toContain('copied 70 events');

    const db = new Client({ connectionString: schema.url });
    await db.connect();
    await db.query(`UPDATE es_events SET data = '{"forged":true}' WHERE position = 17`);
    await db.end();
    const verified = await run(parseLocation(source), parseLocation(schema.url), true);
    expect(verified.code).toBe(MIGRATE_EXIT.differences);
    expect(verified.out).toContain('DIFFERENCES: source 120 events, PostgreSQL 120');
  });

  it('refuses a missing source, the same log twice, and unknown URL schemes', async () => {
    expect((await run(parseLocation(tempDir()), parseLocation(schema.url))).code).toBe(MIGRATE_EXIT.usage);
    expect((await run(parseLocation(schema.url), parseLocation(schema.url))).code).toBe(MIGRATE_EXIT.usage);
    expect(() => parseLocation('mysql://db/x')).toThrow(/data directory, esdb:\/\/... or postgres:\/\//);
  });
});
