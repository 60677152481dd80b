import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { MIGRATE_EXIT, registerMigrateCommand, runMigrateToEventStoreDb } from '../../../src/cli/commands/migrate-to-eventstoredb';
import { SqliteEventStore } from '../../../src/event-store/sqlite-event-store';
import { EsdbTestDouble, startEsdbTestDouble } from '../../support/esdb-test-double/start-esdb-test-double';
import { buildLog } from './embedded-log-fixture';

/** The migrate-to-eventstoredb command against the EventStoreDB TEST DOUBLE (not a real EventStoreDB). */
describe('migrate-to-eventstoredb command', () => {
  let double: EsdbTestDouble;
  let dataDir: string;

  const capture = () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    return { stream, text: () => text };
  };
  async function run(options: { verifyOnly?: boolean; dataDir?: string } = {}) {
    const out = capture();
    const err = capture();
    const code = await runMigrateToEventStoreDb(
      { connection: double.connectionString, dataDir: options.dataDir ?? dataDir, batch: 100, verifyOnly: options.verifyOnly ?? false },
      { out: out.stream, err: err.stream },
    );
    return { code, out: out.text(), err: err.text() };
  }
  async function withSource<T>(work: (store: SqliteEventStore) => Promise<T>): Promise<T> {
    const store = new SqliteEventStore(join(dataDir, 'events.db'));
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  }

  beforeEach(async () => {
    double = await startEsdbTestDouble();
    dataDir = mkdtempSync(join(tmpdir(), 'casetrail-migrate-cli-'));
    await withSource((store) => buildLog(store, { events: 250, streams: 15, seed: 3 }));
  });
  afterEach(async () => {
    await double?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    process.exitCode = undefined;
  });

  it('copies, verifies and exits 0; a second run copies nothing', async () => {
    const first = await run();
    expect(first.code).toBe(MIGRATE_EXIT.ok);
    expect(first.out).toContain('(250 events)');
    expect(first.out).toMatch(/copied 250 events in \d+ appends/);
    expect(first.out).toContain('verified: 250 events identical');
    expect(first.err).toContain('250/250 events'); // the progress bar (non-TTY: periodic lines)

    const second = await run();
    expect(second.code).toBe(MIGRATE_EXIT.ok);
    expect(second.out).toContain('copied 0 events in 0 appends');
    expect(second.out).toContain('250 were already in EventStoreDB');
  });

  it('with --verify-only, exits 1 and prints what differs', async () => {
    expect((await run()).code).toBe(MIGRATE_EXIT.ok);
    await withSource(async (store) => {
      const [last] = await store.readStream('dispute-2', { fromRevision: 0 }).then((events) => events.slice(-1));
      await store.append('dispute-2', [{ type: 'note-added-v1', data: {}, metadata: last.metadata }], last.revision);
    });
    const result = await run({ verifyOnly: true });
    expect(result.code).toBe(MIGRATE_EXIT.differences);
    expect(result.out).toContain('DIFFERENCES: source 251 events, EventStoreDB 250');
    expect(result.out).toMatch(/\[missing\] dispute-2@\d+ \(.+\) is in the source, not in the target/);
    expect(result.out).not.toContain('copied');

    // Without --verify-only the run copies the new event and all is identical again.
    const again = await run();
    expect(again.code).toBe(MIGRATE_EXIT.ok);
    expect(again.out).toContain('copied 1 events');
  });

  it('exits 2 when the data directory holds no embedded log', async () => {
    const result = await run({ dataDir: join(dataDir, 'nowhere') });
    expect(result.code).toBe(MIGRATE_EXIT.usage);
    expect(result.err).toContain('no embedded event log');
  });

  it('registers on a commander program: options, defaults, exit code', async () => {
    const program = new Command().name('casetrail').exitOverride();
    registerMigrateCommand(program);
    const command = program.commands.find((c) => c.name() === 'migrate-to-eventstoredb')!;
    command.exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const writeErr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await program.parseAsync(
        ['migrate-to-eventstoredb', '--connection', double.connectionString, '--data-dir', dataDir, '--batch', '64'],
        { from: 'user' },
      );
      expect(process.exitCode).toBe(0);
      expect(command.opts()).toMatchObject({ batch: 64, verifyOnly: false, dataDir });

      await expect(
        program.parseAsync(['migrate-to-eventstoredb', '--connection', 'http://x', '--data-dir', dataDir], { from: 'user' }),
      ).rejects.toThrow(/esdb:\/\//);
      await expect(
        program.parseAsync(['migrate-to-eventstoredb', '--connection', double.connectionString, '--batch', '0'], { from: 'user' }),
      ).rejects.toThrow(/integer from 1 to 10000/);
    } finally {
      write.mockRestore();
      writeErr.mockRestore();
    }
  });
});
