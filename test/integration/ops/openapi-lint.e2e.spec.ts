import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeDir, useTestApp } from '../../support/test-app';

const ROOT = join(__dirname, '..', '..', '..');

/** The live /docs-json, linted as the UI's developers lint it: redocly, recommended rules (redocly.yaml). */
const t = useTestApp();

function lint(document: unknown): {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; message: string; severity: string }[];
} {
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-lint-'));
  try {
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
    const cli = require.resolve('@redocly/cli/bin/cli.js');
    const run = spawnSync(
      process.execPath,
      [cli, 'lint', join(dir, 'openapi.json'), '--format=json', '--config', join(ROOT, 'redocly.yaml')],
      {
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    );
    return JSON.parse(run.stdout);
  } finally {
    removeDir(dir);
  }
}

describe('redocly lint of /docs-json', () => {
  it('reports no error with the recommended rules', async () => {
    const doc = await (await fetch(`${t.baseUrl}/docs-json`)).json();
    const report = lint(doc);
    expect(report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 60_000);

  it('would catch a missing summary (the check can fail)', async () => {
    const doc = (await (await fetch(`${t.baseUrl}/docs-json`)).json()) as any;
    delete doc.paths['/api/v1/sla/policy'].get.summary;
    doc.servers = [];
    const report = lint(doc);
    expect(report.problems.map((p) => p.ruleId)).toEqual(expect.arrayContaining(['operation-summary', 'no-empty-servers']));
    expect(report.totals.errors).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
