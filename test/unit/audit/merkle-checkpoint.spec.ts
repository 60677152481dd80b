import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { checkCheckpoint, keyIdOf, signCheckpoint } from '../../../src/audit-trail/checkpoint';
import { inclusionProof, merkleRoot, rootFromProof, StreamHead } from '../../../src/audit-trail/merkle';

const head = (i: number): StreamHead => ({
  streamId: `dispute-${String(i).padStart(4, '0')}`,
  revision: i % 7,
  hash: i.toString(16).padStart(64, '0'),
});

describe('Merkle tree over stream heads', () => {
  it('every leaf of every tree size up to 40 has a proof leading to the root, and no other leaf does', () => {
    for (let n = 1; n <= 40; n++) {
      const heads = Array.from({ length: n }, (_, i) => head(i));
      const root = merkleRoot(heads);
      heads.forEach((h, i) => {
        const proof = inclusionProof(heads, i);
        expect(rootFromProof(h, proof)).toBe(root);
        expect(rootFromProof({ ...h, revision: h.revision + 1 }, proof)).not.toBe(root);
      });
    }
  });

  it('roots stay those of stored checkpoints (computed by the level-array implementation before the one-buffer one)', () => {
    const roots: Record<number, string> = {
      1: '99297d7ff84f3aa79c4e847600bbcd3d8af2bffdad43eeb19fadb190de015a8c',
      2: '1856daafad00154a4073529969990193bc0eca443346f2b31721c5554e63b57c',
      3: '86c0e8454e1a208ad591984a548d4c827ef39d7c7c66b2f793b6379042fa1108',
      1000: 'ad91c3180eebc374a588e3d9498ddf977738aef4b291ef9bff506d0972f14bd8',
      4097: 'e7f1779269141a845954519d979b1157c451ef71d8873eecd8bd82696704ae14',
    };
    for (const [n, root] of Object.entries(roots)) expect(merkleRoot(Array.from({ length: Number(n) }, (_, i) => head(i)))).toBe(root);
  });

  it('the root changes with any head (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.nat(), fc.constantFrom('revision', 'hash', 'streamId', 'drop'), (n, pick, field) => {
        const heads = Array.from({ length: n }, (_, i) => head(i));
        const i = pick % n;
        const changed = [...heads];
        if (field === 'drop') changed.splice(i, 1);
        else if (field === 'revision') changed[i] = { ...heads[i], revision: heads[i].revision + 1 };
        else if (field === 'hash') changed[i] = { ...heads[i], hash: 'f'.repeat(64) };
        else changed[i] = { ...heads[i], streamId: `${heads[i].streamId}x` };
        expect(merkleRoot(changed)).not.toBe(merkleRoot(heads));
      }),
    );
  });
});

describe('signed checkpoints', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const body = {
    version: 1 as const,
    sequence: 3,
    createdAt: '2026-12-01T00:00:00.000Z',
    prevCheckpointHash: 'a'.repeat(64),
    headPosition: 42,
    streams: 2,
    events: 9,
    merkleRoot: 'b'.repeat(64),
    keyId: keyIdOf(publicKey),
  };

  it('verify under the signing key, and fail under another key or after any change of the body', () => {
    const signed = signCheckpoint(body, privateKey);
    expect(checkCheckpoint(signed, publicKey)).toEqual([]);
    expect(checkCheckpoint(signed)).toEqual([]);
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(checkCheckpoint(signed, other).join(' ')).toMatch(/not the trusted key.*signature does not verify/);
    for (const change of [
      { sequence: 4 },
      { headPosition: 41 },
      { merkleRoot: 'c'.repeat(64) },
      { prevCheckpointHash: null },
      { events: 8 },
      { createdAt: '2026-12-02T00:00:00.000Z' },
    ]) {
      expect(checkCheckpoint({ ...signed, ...change }, publicKey).length).toBeGreaterThan(0);
    }
  });
});

describe('the signing key file', () => {
  it('is generated once (mode 0600, no temporary file left) and read back by every later load; AUDIT_SIGNING_KEY wins; a bad key is refused', async () => {
    const { mkdtempSync, statSync, rmSync, readdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadSigningKey, SIGNING_KEY_FILE } = await import('../../../src/audit-trail/signing-key');
    const dir = mkdtempSync(join(tmpdir(), 'casetrail-key-'));
    try {
      const first = loadSigningKey({ signingKey: null, dataDir: dir });
      expect(first.source).toBe('generated');
      expect(statSync(join(dir, SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
      const again = loadSigningKey({ signingKey: null, dataDir: dir });
      expect(again).toMatchObject({ source: 'file', keyId: first.keyId });
      expect(readdirSync(dir)).toEqual([SIGNING_KEY_FILE]);
      const pem = first.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      expect(loadSigningKey({ signingKey: pem, dataDir: dir })).toMatchObject({ source: 'env', keyId: first.keyId });
      expect(() => loadSigningKey({ signingKey: 'not a key', dataDir: dir })).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
