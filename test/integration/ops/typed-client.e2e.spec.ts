import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sixRoleJourney } from '../../../clients/typescript/examples/six-role-journey';
import { tokenFor } from '../../support/http-client';
import { OpenApiConformance, OpenApiDocument } from '../../support/openapi-conformance';
import { removeDir, useTestApp } from '../../support/test-app';

const ROOT = join(__dirname, '..', '..', '..');
const CLIENT_DIR = join(ROOT, 'clients', 'typescript');

/** The typed client under clients/typescript: current with the document, type-checked, and working. */
const t = useTestApp();
let doc: OpenApiDocument;
beforeAll(async () => {
  doc = (await (await fetch(`${t.baseUrl}/docs-json`)).json()) as OpenApiDocument;
});

describe('the typed client (clients/typescript)', () => {
  it('is generated from the current document: run `npm run client:generate` when this fails', () => {
    // openapi-typescript is loaded outside jest (its dependencies are ES modules): tools/openapi-client.js check.
    const dir = mkdtempSync(join(tmpdir(), 'casetrail-openapi-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
      const check = spawnSync(process.execPath, [join(ROOT, 'tools', 'openapi-client.js'), 'check', join(dir, 'openapi.json')], {
        encoding: 'utf8',
      });
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
    } finally {
      removeDir(dir);
    }
  }, 60_000);

  it('type-checks, with the six-role journey, and the journey has no casts', () => {
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(CLIENT_DIR, 'tsconfig.json')], {
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const code = readFileSync(join(CLIENT_DIR, 'examples', 'six-role-journey.ts'), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    expect(code.match(/\bas (?!const\b)\w+|<\w+>\s*\w|\bany\b|@ts-/g)).toBeNull();
  }, 120_000);

  it('runs the six-role journey against the service, and every response is as documented', async () => {
    const conformance = new OpenApiConformance(doc);
    const problems: string[] = [];
    const checkedFetch = async (request: Request) => {
      const response = await fetch(request);
      const text = await response.clone().text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON */
      }
      const url = new URL(request.url);
      problems.push(...conformance.check(request.method, url.pathname, response.status, response.headers, body, text));
      return response;
    };
    const department = 'journey';
    const { steps, dispute } = await sixRoleJourney({
      baseUrl: t.baseUrl,
      agentId: 'agent-j',
      department,
      fetch: checkedFetch,
      tokens: {
        agent: tokenFor('agent', 'agent-j', { department }),
        supervisor: tokenFor('supervisor', 'sup-j', { department }),
        manager: tokenFor('manager', 'man-j'),
        auditor: tokenFor('auditor', 'aud-j'),
        analyst: tokenFor('analyst', 'ana-j'),
        admin: tokenFor('admin', 'adm-j'),
      },
    });
    expect(problems).toEqual([]);
    expect(steps.filter((s) => s.status >= 300)).toEqual([]);
    expect(new Set(steps.map((s) => s.role))).toEqual(new Set(['agent', 'supervisor', 'manager', 'auditor', 'analyst', 'admin']));
    expect(steps.length).toBeGreaterThanOrEqual(20);
    expect(dispute).toMatchObject({ stage: 'closed', status: 'closed', compensations: [expect.objectContaining({ status: 'paid' })] });
  });
});
