#!/usr/bin/env node
// Verifies Casetrail case bundles offline (export-case --format bundle, GET /api/v1/disputes/:id/export).
// Node 20+ only, no dependencies. Usage:
//   node tools/verify-bundle.mjs [--public-key key.pem] [--json] bundle.json [more.json ...]
// Exit 0 when every bundle verifies, 1 when one does not, 2 on bad usage.
// Checks: the file is canonical JSON (so no byte of it goes unchecked); every event's hash over its content and
// the previous hash (revisions 0..n); the head the checkpoint committed to is the stream's event at that revision;
// the inclusion proof leads from that head to the checkpoint's Merkle root; the checkpoint's hash and its Ed25519
// signature, under the key in the bundle or, with --public-key, under that key (pin it: the key in a bundle is
// only as trustworthy as the place you got the bundle from). Events after the head are checked by their chain
// only. The rules repeat src/event-store/domain/hash-chain.ts, src/audit-trail/merkle.ts and checkpoint.ts.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const FORMAT = 'casetrail-case-bundle/1';
const HEX64 = /^[0-9a-f]{64}$/;

export function canonicalJson(value) {
  if (value === null || typeof value !== 'object') {
    const json = JSON.stringify(value);
    return json === undefined ? 'null' : json;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
  return `{${entries.join(',')}}`;
}

const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();

function eventHash(e) {
  const canonical = canonicalJson({
    streamId: e.streamId, revision: e.revision, eventId: e.eventId, type: e.type, occurredAt: e.occurredAt,
    data: e.data, metadata: e.metadata, prevHash: e.prevHash,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

const leafHash = (h) => sha256(Buffer.from([0]), Buffer.from(canonicalJson([h.streamId, h.revision, h.hash]), 'utf8'));

function rootFromProof(head, proof) {
  let current = leafHash(head);
  for (const step of proof) {
    const sibling = Buffer.from(step.hash, 'hex');
    current = step.side === 'L' ? sha256(Buffer.from([1]), sibling, current) : sha256(Buffer.from([1]), current, sibling);
  }
  return current.toString('hex');
}

function checkpointBody(c) {
  const { version, sequence, createdAt, prevCheckpointHash, headPosition, streams, events, merkleRoot, keyId } = c;
  return { version, sequence, createdAt, prevCheckpointHash, headPosition, streams, events, merkleRoot, keyId };
}

/** Problems with one bundle's text; empty when it verifies. */
export function verifyBundleText(text, options = {}) {
  const problems = [];
  let bundle;
  try {
    bundle = JSON.parse(text);
  } catch (error) {
    return { problems: [`not JSON: ${error.message}`] };
  }
  if (text !== `${canonicalJson(bundle)}\n`) problems.push('the file is not the canonical JSON it was exported as (bytes were changed)');
  if (!bundle || bundle.format !== FORMAT) return { problems: [...problems, `not a ${FORMAT} bundle`] };
  const events = Array.isArray(bundle.events) ? bundle.events : [];
  if (events.length === 0) problems.push('no events');
  let prevHash = null;
  events.forEach((e, i) => {
    const where = `revision ${e?.revision} (event ${e?.eventId})`;
    if (e.streamId !== bundle.streamId) problems.push(`${where}: belongs to another stream`);
    if (e.revision !== i) problems.push(`${where}: expected revision ${i}`);
    if (e.prevHash !== prevHash) problems.push(`${where}: prevHash does not match the previous event's hash`);
    if (typeof e.hash !== 'string' || !HEX64.test(e.hash) || eventHash(e) !== e.hash) problems.push(`${where}: content does not match its hash (altered)`);
    prevHash = e.hash;
  });
  const { checkpoint: c, head, proof } = bundle;
  let covered = -1;
  if (!c) problems.push('no signed checkpoint covers this case: only its hash chain could be checked');
  else {
    if (!head || head.streamId !== bundle.streamId || !Number.isInteger(head.revision) || !HEX64.test(head.hash ?? '')) problems.push('missing or malformed stream head');
    else {
      covered = head.revision;
      const at = events[head.revision];
      if (!at) problems.push(`the checkpoint committed to revision ${head.revision}, which the bundle lacks (truncated)`);
      else if (at.hash !== head.hash) problems.push(`revision ${head.revision} (event ${at.eventId}) is not the event the checkpoint committed to`);
      const wellFormed = Array.isArray(proof) && proof.every((s) => s && (s.side === 'L' || s.side === 'R') && HEX64.test(s.hash ?? ''));
      if (!wellFormed) problems.push('malformed inclusion proof');
      else if (rootFromProof(head, proof) !== c.merkleRoot) problems.push("the inclusion proof does not lead to the checkpoint's Merkle root");
    }
    const body = Buffer.from(canonicalJson(checkpointBody(c)), 'utf8');
    if (createHash('sha256').update(body).digest('hex') !== c.checkpointHash) problems.push("the checkpoint's hash does not match its content");
    try {
      const key = createPublicKey(options.publicKeyPem ?? c.publicKey);
      if (!options.publicKeyPem && key.export({ type: 'spki', format: 'pem' }).toString() !== c.publicKey) problems.push('the public key is not in canonical PEM form');
      const keyId = createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
      if (keyId !== c.keyId) problems.push(`the checkpoint names key ${c.keyId}, not ${keyId}`);
      const signature = Buffer.from(String(c.signature), 'base64');
      if (signature.toString('base64') !== c.signature) problems.push('the signature is not canonical base64');
      if (!verify(null, body, key, signature)) problems.push('the Ed25519 signature does not verify');
    } catch (error) {
      problems.push(`unusable public key or signature: ${error.message}`);
    }
  }
  return {
    problems,
    streamId: bundle.streamId,
    events: events.length,
    coveredRevision: covered,
    eventsAfterCheckpoint: Math.max(0, events.length - 1 - covered),
    checkpoint: c ? { sequence: c.sequence, createdAt: c.createdAt, keyId: c.keyId, checkpointHash: c.checkpointHash } : null,
  };
}

function main(argv) {
  const files = [];
  let publicKeyPem;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--public-key') publicKeyPem = readFileSync(argv[++i], 'utf8');
    else if (argv[i] === '--json') json = true;
    else files.push(argv[i]);
  }
  if (files.length === 0) {
    process.stderr.write('usage: node tools/verify-bundle.mjs [--public-key key.pem] [--json] bundle.json [...]\n');
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    let result;
    try {
      result = verifyBundleText(readFileSync(file, 'utf8'), { publicKeyPem });
    } catch (error) {
      result = { problems: [`unreadable: ${error.message}`] };
    }
    const ok = result.problems.length === 0;
    if (!ok) failed++;
    if (json) process.stdout.write(`${JSON.stringify({ file, ok, ...result })}\n`);
    else if (ok) {
      process.stdout.write(
        `OK ${file}: ${result.events} events of ${result.streamId}; signed checkpoint ${result.checkpoint.sequence} (${result.checkpoint.createdAt}, key ${result.checkpoint.keyId}) covers revision ${result.coveredRevision}` +
          (result.eventsAfterCheckpoint ? `; ${result.eventsAfterCheckpoint} later event(s) chain-checked only` : '') + '\n',
      );
    } else process.stdout.write(`FAIL ${file}:\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`);
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
