import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { loadConfig } from '../../config/app-config';
import { createEventStore } from '../../event-store/event-store.module';
import { personalDataLog } from '../../privacy/protect-log';
import { Pseudonymizer } from '../../privacy/pseudonym';
import { loadPseudonymKey } from '../../config/pseudonym-key';
import { ExportFilter, ExportRow } from '../../read-models/exports/export-dataset';
import { datasetNamed, EXPORT_DATASET_NAMES } from '../../read-models/exports/export-datasets';
import { EXPORT_FORMATS, ExportFormat, formatRows } from '../../read-models/exports/export-format';
import { openReadStore } from '../../read-models/read-models.module';
import { readCheckpoint } from '../../read-side/engine/checkpoints';
import { EXIT, positiveInt, progressBar, runCommand, UsageError } from '../cli-support';

interface ExportDatasetOptions {
  format: ExportFormat;
  out?: string;
  dataDir?: string;
  from?: string;
  to?: string;
  department?: string;
  after?: string;
  limit?: number;
}

const isoOption = (name: string) => (value: string) => {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new UsageError(`${name} must be an ISO-8601 time, got "${value}"`);
  return new Date(time).toISOString();
};

/** Rows already in the read models behind the datasets, for the progress bar (a guess for filtered exports). */
const TOTAL_OF: Record<string, string> = {
  disputes: 'disputes',
  compensations: 'compensations',
  breaches: 'sla_breaches',
  penalties: 'sla_penalties',
  transitions: 'disputes',
  events: 'audit_events',
};

/**
 * `export-dataset <dataset> [--format ndjson|csv|parquet] [--out FILE] [--from] [--to] [--department] [--after] [--limit]`:
 * the same rows as GET /api/v1/exports/:dataset (pseudonymised with the service's key), written to a file with a
 * progress bar, in constant memory (Parquet: row groups of 10,000 rows, typed columns, for DuckDB, pandas or a
 * warehouse). Reads the service's read store as it is (say how far behind the log it is).
 */
export function registerExportDatasetCommand(program: Command): void {
  program
    .command('export-dataset')
    .description(`write one analytics dataset to a file (${EXPORT_DATASET_NAMES.join(', ')})`)
    .argument('<dataset>', EXPORT_DATASET_NAMES.join(' | '))
    .addOption(new Option('--format <format>', 'file format').choices(EXPORT_FORMATS).default('ndjson'))
    .addOption(new Option('--out <file>', 'where to write (default ./<dataset>.<format>; "-" for stdout)'))
    .addOption(new Option('--data-dir <dir>', "the service's DATA_DIR").env('DATA_DIR'))
    .addOption(new Option('--from <time>', 'period start (inclusive)').argParser(isoOption('--from')))
    .addOption(new Option('--to <time>', 'period end (exclusive)').argParser(isoOption('--to')))
    .addOption(new Option('--department <name>', 'only this department'))
    .addOption(new Option('--after <cursor>', "resume after this value of the dataset's cursor column"))
    .addOption(new Option('--limit <n>', 'at most n rows').argParser(positiveInt('--limit')))
    .action((name: string, options: ExportDatasetOptions) =>
      runCommand(async () => {
        const dataset = datasetNamed(name);
        if (!dataset) throw new UsageError(`no dataset named "${name}"; one of ${EXPORT_DATASET_NAMES.join(', ')}`);
        const config = loadConfig({
          ...process.env,
          ...(options.dataDir ? { DATA_DIR: options.dataDir } : {}),
          AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET ?? 'export-needs-no-tokens',
        });
        const readStore = await openReadStore(config);
        // As the service reads it: personal fields decrypted, or erased (README "Personal data and erasure").
        const log = personalDataLog(createEventStore(config, { writerThread: false }), config);
        try {
          const head = await log.headPosition();
          for (const projection of ['disputes', 'audit']) {
            const at = await readCheckpoint(readStore.db, projection);
            if (at < head)
              process.stderr.write(`note: read model ${projection} is at ${at} of ${head} events (start the service to catch up)\n`);
          }
          const pseudonyms = new Pseudonymizer(loadPseudonymKey({ pseudonymKey: config.pseudonymKey, dataDir: config.dataDir }).key);
          const filter: ExportFilter = { ...options };
          const table = TOTAL_OF[dataset.name];
          const total = table
            ? Number(
                (
                  await readStore.db
                    .selectFrom(table)
                    .select((eb) => eb.fn.countAll().as('n'))
                    .executeTakeFirst()
                )?.n ?? 0,
              )
            : 0;
          const bar = progressBar(`${dataset.name}`, total);
          let rows = 0;
          const counted = countRows(dataset.rows({ db: readStore.db, log, pseudonyms }, filter), () => bar.update(++rows));
          const out = options.out ?? `${dataset.name}.${options.format}`;
          const target = out === '-' ? process.stdout : createWriteStream(resolve(out));
          await pipeline(formatRows(counted, dataset.columns, options.format), target, { end: out !== '-' });
          bar.stop();
          if (out !== '-') process.stderr.write(`${rows} rows of ${dataset.name} written to ${resolve(out)}\n`);
          return EXIT.ok;
        } finally {
          await readStore.close();
          await log.close();
        }
      }),
    );
}

async function* countRows(rows: AsyncIterable<ExportRow>, onRow: () => void): AsyncGenerator<ExportRow> {
  for await (const row of rows) {
    onRow();
    yield row;
  }
}
