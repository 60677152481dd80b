import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_SLA_POLICY } from '../../../src/sla/domain/sla-policy';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { JwtService } from '@nestjs/jwt';
import { TEST_SECRET, tokenFor } from '../../support/http-client';
import { removeDir, startTestApp } from '../../support/test-app';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

function cli(args: string[], env: Record<string, string> = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  for (const name of ['AUTH_JWT_SECRET', 'DATA_DIR', 'EVENT_STORE', 'READ_STORE', 'EVENTSTORE_CONNECTION_STRING']) delete base[name];
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let dataDir: string;
beforeAll(() => {
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (!readFileSafe(CLI)) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
  dataDir = mkdtempSync(join(tmpdir(), 'casetrail-cli-'));
}, 180_000);
afterAll(() => removeDir(dataDir));

function readFileSafe(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

const disputeIds = (dir: string): string[] => {
  const db = new Database(join(dir, 'events.db'), { readonly: true });
  try {
    return (db.prepare("SELECT DISTINCT stream_id FROM events WHERE stream_id LIKE 'dispute-%'").all() as { stream_id: string }[]).map(
      (r) => r.stream_id.slice('dispute-'.length),
    );
  } finally {
    db.close();
  }
};

describe('npm run cli -- <command> (dist/cli/main.js as a child process)', () => {
  it('seed fills a fresh DATA_DIR through the real application, and the dispute list shows every dispute', async () => {
    const seeded = cli(['seed', '--disputes', '60', '--data-dir', dataDir, '--json']);
    expect(seeded.stderr).toBe('');
    expect(seeded.code).toBe(0);
    const report = JSON.parse(seeded.stdout);
    expect(report).toMatchObject({ disputes: 60, refused: [] });
    expect(report.commands).toBeGreaterThan(60 * 3);
    expect(Object.values(report.byStage as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(60);
    expect(Object.keys(report.byStage).length).toBeGreaterThanOrEqual(4);
    expect(disputeIds(dataDir)).toHaveLength(60);

    const t = await startTestApp({ dataDir });
    try {
      const list = await t.http.get('/api/v1/disputes?limit=200', tokenFor('manager'));
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(60);
      const items = list.body.items as { channel: string; filedAt: string; stage: string; compensations: { status: string }[] }[];
      expect(new Set(items.map((d) => d.channel)).size).toBeGreaterThanOrEqual(3);
      // Spread over past months, none in the future.
      const filed = items.map((d) => Date.parse(d.filedAt));
      expect(Math.max(...filed)).toBeLessThanOrEqual(Date.now());
      expect(Math.max(...filed) - Math.min(...filed)).toBeGreaterThan(30 * 86_400_000);
      expect(items.some((d) => d.compensations.some((c) => c.status === 'paid'))).toBe(true);
      const one = items[0] as unknown as { id: string };
      const verified = await t.http.get(`/api/v1/disputes/${one.id}/audit/verify`, tokenFor('auditor'));
      expect(verified.body.valid).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('what-if replays the seeded history under a proposed policy and writes nothing', () => {
    const strict = join(dataDir, 'strict-policy.json');
    writeFileSync(
      strict,
      JSON.stringify({
        ...DEFAULT_SLA_POLICY,
        firstResponse: {
          ...DEFAULT_SLA_POLICY.firstResponse,
          email: { target: 'PT1M', clock: 'calendar' },
          web: { target: 'PT1M', clock: 'calendar' },
        },
      }),
    );
    const before = disputeIds(dataDir).length;
    const run = cli(['what-if', '--policy', strict, '--data-dir', dataDir], { AUTH_JWT_SECRET: TEST_SECRET });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.disputes).toBe(before);
    expect(report.proposed.breaches.first_response).toBeGreaterThanOrEqual(report.current.breaches.first_response);
    expect(report.proposed.breaches.total).toBeGreaterThan(0);
    writeFileSync(strict, JSON.stringify({ ...DEFAULT_SLA_POLICY, atRiskRatio: 7 }));
    const bad = cli(['what-if', '--policy', strict, '--data-dir', dataDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/atRiskRatio/);
  });

  it('rebuild-projections rebuilds every read model beside the live one and swaps it in, leaving the list equal', async () => {
    // The SLA scheduler off: seeded deadlines passing must not change versions between the two reads.
    const env = { SLA_SCHEDULER_INTERVAL_MS: '0' };
    const t = await startTestApp({ dataDir, env });
    const supervisor = tokenFor('manager'); // every department's disputes (ownership, issue 12)
    const before = (await t.http.get('/api/v1/disputes?limit=200', supervisor)).body.items.map((d: { id: string; version: number }) => [
      d.id,
      d.version,
    ]);
    await t.close();
    const rebuilt = cli(['rebuild-projections', '--data-dir', dataDir], { AUTH_JWT_SECRET: TEST_SECRET });
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(/^disputes: \d+ events in .* swapped in$/m);
    expect(rebuilt.stdout).toMatch(/^audit: /m);
    expect(rebuilt.stdout).toMatch(/^penalties: /m);
    const after = await startTestApp({ dataDir, env });
    expect(
      (await after.http.get('/api/v1/disputes?limit=200', supervisor)).body.items.map((d: { id: string; version: number }) => [
        d.id,
        d.version,
      ]),
    ).toEqual(before);
    await after.close();
    expect(cli(['rebuild-projections', '--data-dir', dataDir, '--projection', 'nope']).code).toBe(2);
  });

  it('verify-chains passes on an intact log, and exits 1 naming a stream whose event was altered', () => {
    const ok = cli(['verify-chains', '--data-dir', dataDir]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('every hash chain verifies');
    expect(ok.stdout).toMatch(/events in 60 streams/);

    const copy = mkdtempSync(join(tmpdir(), 'casetrail-cli-tampered-'));
    try {
      const source = new Database(join(dataDir, 'events.db'), { readonly: true });
      source.exec(`VACUUM INTO '${join(copy, 'events.db')}'`);
      source.close();
      const db = new Database(join(copy, 'events.db'));
      const victim = db.prepare("SELECT stream_id, revision FROM events WHERE type = 'DisputeAcknowledged' LIMIT 1").get() as {
        stream_id: string;
        revision: number;
      };
      db.prepare("UPDATE events SET data = json_set(data, '$.message', 'we never said that') WHERE stream_id = ? AND revision = ?").run(
        victim.stream_id,
        victim.revision,
      );
      db.close();
      const broken = cli(['verify-chains', '--data-dir', copy]);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(`BROKEN ${victim.stream_id} at revision ${victim.revision}`);
      expect(broken.stdout).toContain('1 broken chain(s)');
    } finally {
      removeDir(copy);
    }
    const missing = cli(['verify-chains', '--data-dir', join(dataDir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no event log');
  });

  it('export-case writes the audit trail as JSON lines or CSV, to stdout or --out', () => {
    const id = disputeIds(dataDir)[0];
    const jsonl = cli(['export-case', id, '--data-dir', dataDir]);
    expect(jsonl.code).toBe(0);
    const events = jsonl.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events[0]).toMatchObject({
      type: 'DisputeFiled',
      revision: 0,
      streamId: `dispute-${id}`,
      prevHash: null,
      metadata: { actorId: expect.any(String) },
    });
    events.forEach((e, i) => expect(e.revision).toBe(i));
    for (let i = 1; i < events.length; i++) expect(events[i].prevHash).toBe(events[i - 1].hash);

    const out = join(dataDir, 'case.csv');
    const csv = cli(['export-case', id, '--format', 'csv', '--out', out, '--data-dir', dataDir]);
    expect(csv.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'revision,position,occurredAt,type,eventId,actorId,actorRoles,commandId,correlationId,causationId,policyVersion,schemaVersion,data,prevHash,hash',
    );
    expect(lines).toHaveLength(events.length + 1);
    expect(lines[1].startsWith('0,')).toBe(true);
    expect(cli(['export-case', 'no-such-dispute', '--data-dir', dataDir]).code).toBe(2);
    expect(cli(['export-case', id, '--format', 'xml', '--data-dir', dataDir]).code).toBe(2);
  });

  it('replay-case prints each event with actor, time and the state change after it', () => {
    const id = disputeIds(dataDir)[1];
    const replay = cli(['replay-case', id, '--step', '--data-dir', dataDir]);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/^#0 DisputeFiled {2}at \d{4}-\d\d-\d\dT[\d:.]+Z {2}by agent-\d\d \(agent\)$/m);
    expect(replay.stdout).toContain('+ stage = "filed"');
    expect(replay.stdout).toMatch(/final: stage \w+, status \w+, version \d+/);
    expect(replay.stdout).not.toContain('\u001b['); // no colours into a pipe; --step does not wait without a terminal
    const events = cli(['export-case', id, '--data-dir', dataDir]).stdout.trim().split('\n');
    expect(replay.stdout.match(/^#\d+ /gm)).toHaveLength(events.length);
  });

  it('tokens mints a token per role for the given secret, or one token with several roles', () => {
    const all = cli(['tokens', '--json'], { AUTH_JWT_SECRET: TEST_SECRET });
    expect(all.code).toBe(0);
    const tokens = JSON.parse(all.stdout) as Record<string, string>;
    expect(Object.keys(tokens)).toEqual(['agent', 'senior_agent', 'supervisor', 'manager', 'auditor', 'analyst', 'admin']);
    const jwt = new JwtService({ secret: TEST_SECRET });
    expect(jwt.verify(tokens.auditor)).toMatchObject({ sub: 'dev-auditor', roles: ['auditor'], department: 'after-sales' });

    const one = cli(['tokens', '--secret', TEST_SECRET, '--role', 'supervisor', 'manager', '--sub', 'sup-7', '--ttl', '1h']);
    expect(one.code).toBe(0);
    const [label, token] = one.stdout.trim().split(/\s+/);
    expect(label).toBe('supervisor+manager');
    const claims = jwt.verify(token);
    expect(claims).toMatchObject({ sub: 'sup-7', roles: ['supervisor', 'manager'] });
    expect(claims.exp - claims.iat).toBe(3600);

    expect(cli(['tokens']).code).toBe(2);
    expect(cli(['tokens', '--secret', 'short']).stderr).toContain('at least 16 characters');
    expect(cli(['tokens', '--secret', TEST_SECRET, '--role', 'king']).code).toBe(2);
  });
});
