import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { checkpointedLog, copyDataDir, rewriteLog } from '../../support/tamper';
import { removeDir } from '../../support/test-app';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const VERIFIER = join(ROOT, 'tools', 'verify-bundle.mjs');

function run(file: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  for (const name of ['DATA_DIR', 'EVENT_STORE', 'EVENTSTORE_CONNECTION_STRING', 'AUDIT_SIGNING_KEY']) delete env[name];
  const result = spawnSync(process.execPath, [file, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** verify-chains, audit-checkpoint and export-case --format bundle as the operator runs them (dist/cli/main.js). */
describe('audit CLI', () => {
  let original: { dataDir: string; file: string };
  const dirs: string[] = [];
  beforeAll(async () => {
    const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
    if (!existsSync(CLI)) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
    original = await checkpointedLog({ streams: 5, after: 2 });
    dirs.push(original.dataDir);
  }, 180_000);
  afterAll(() => dirs.forEach(removeDir));
  const copy = () => {
    const c = copyDataDir(original.dataDir);
    dirs.push(c.dataDir);
    return c;
  };

  it('verify-chains: an intact log verifies against the checkpoint; the events after it are counted as chain-checked only', () => {
    const ok = run(CLI, ['verify-chains', '--data-dir', original.dataDir]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/signed checkpoint 0 of .* covers position 15; 2 later event\(s\) are chain-checked only/);
    expect(ok.stdout).toContain('every hash chain verifies');
  });

  it('verify-chains exits 1 naming stream, revision, event and kind for a re-hashed edit, and for a deleted stream', () => {
    const edited = copy();
    rewriteLog(edited.file, (rows) =>
      rows.map((r) => (r.stream_id === 'dispute-s3' && r.revision === 3 ? { ...r, data: '{"changed":true}' } : r)),
    );
    const victim = new Database(edited.file, { readonly: true })
      .prepare("SELECT event_id FROM events WHERE stream_id = 'dispute-s3' AND revision = 3")
      .get() as { event_id: string };
    const broken = run(CLI, ['verify-chains', '--data-dir', edited.dataDir]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`BROKEN dispute-s3 at revision 3: rewritten (event ${victim.event_id})`);

    const deleted = copy();
    rewriteLog(deleted.file, (rows) => rows.filter((r) => r.stream_id !== 'dispute-s2'));
    const json = run(CLI, ['verify-chains', '--data-dir', deleted.dataDir, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).broken).toEqual([
      expect.objectContaining({ streamId: 'dispute-s2', kind: 'stream-deleted', firstInvalidRevision: 2 }),
    ]);
  });

  it('audit-checkpoint prints the checkpoint to anchor; --anchor catches checkpoints deleted afterwards', () => {
    const c = copy();
    const anchorFile = join(c.dataDir, 'anchor.json');
    const signed = run(CLI, ['audit-checkpoint', '--data-dir', c.dataDir, '--out', anchorFile]);
    expect(signed.code).toBe(0);
    expect(JSON.parse(signed.stdout)).toMatchObject({ sequence: 1, events: 17 });
    expect(run(CLI, ['verify-chains', '--data-dir', c.dataDir, '--anchor', anchorFile]).code).toBe(0);
    // The attacker drops every checkpoint (and so every commitment) and rewrites a stream.
    const db = new Database(c.file);
    db.exec('DELETE FROM audit_checkpoints; DELETE FROM audit_checkpoint_heads;');
    db.close();
    rewriteLog(c.file, (rows) => rows.filter((r) => r.stream_id !== 'dispute-s4'));
    const caught = run(CLI, ['verify-chains', '--data-dir', c.dataDir, '--anchor', anchorFile]);
    expect(caught.code).toBe(1);
    expect(caught.stdout).toContain('anchored checkpoint 1 is missing from the store');
  });

  it('export-case --format bundle writes a bundle the standalone verifier accepts, and rejects once edited', () => {
    const c = copy();
    const out = join(c.dataDir, 'case.json');
    const exported = run(CLI, ['export-case', 's0', '--format', 'bundle', '--out', out, '--data-dir', c.dataDir]);
    expect(exported.code).toBe(0);
    const verified = run(VERIFIER, [out]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^OK .*: 3 events of dispute-s0; signed checkpoint 1 .* covers revision 2/);
    const text = readFileSync(out, 'utf8');
    writeFileSync(out, text.replace('"after":0', '"after":9'));
    const rejected = run(VERIFIER, [out]);
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toContain('content does not match its hash');
  });
});
