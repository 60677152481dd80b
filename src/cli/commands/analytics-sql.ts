import { Command, Option } from 'commander';
import { analyticsSql } from '../../read-models/analytics-sql/analytics-views';
import { EXIT, runCommand, UsageError } from '../cli-support';

/** `analytics-sql [--schema analytics] [--role casetrail_analyst]`: prints the read-only role and views script (pipe into psql). */
export function registerAnalyticsSqlCommand(program: Command): void {
  program
    .command('analytics-sql')
    .description('print the SQL that creates the read-only analyst role and views on the PostgreSQL read store')
    .addOption(new Option('--schema <name>', 'schema of the views').default('analytics'))
    .addOption(new Option('--role <name>', 'the read-only role').default('casetrail_analyst'))
    .addHelpText('after', '\nExample:\n  npm run cli --silent -- analytics-sql | psql "$DATABASE_URL"')
    .action((options: { schema: string; role: string }) =>
      runCommand(async () => {
        let script: string;
        try {
          script = analyticsSql(options);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
        process.stdout.write(script);
        return Promise.resolve(EXIT.ok);
      }),
    );
}
