import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyIdOf } from './checkpoint';

export const SIGNING_KEY_FILE = 'audit-signing-key.pem';

export interface AuditSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
  keyId: string;
  /** Where the key came from: AUDIT_SIGNING_KEY, an existing key file, or a file generated now. */
  source: 'env' | 'file' | 'generated';
}

/** AUDIT_SIGNING_KEY: an Ed25519 private key as PKCS#8 PEM, or the same DER in base64. */
export function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----')
    ? createPrivateKey(trimmed)
    : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`AUDIT_SIGNING_KEY must be an Ed25519 key, got ${key.asymmetricKeyType}`);
  return key;
}

/** The key from AUDIT_SIGNING_KEY, else DATA_DIR/audit-signing-key.pem (generated, mode 0600, when absent). */
export function loadSigningKey(options: { signingKey: string | null; dataDir: string }): AuditSigningKey {
  let privateKey: KeyObject;
  let source: AuditSigningKey['source'];
  if (options.signingKey) {
    privateKey = parsePrivateKey(options.signingKey);
    source = 'env';
  } else {
    const file = join(options.dataDir, SIGNING_KEY_FILE);
    if (!existsSync(file) && createKeyFile(options.dataDir, file)) source = 'generated';
    else source = 'file';
    privateKey = parsePrivateKey(readFileSync(file, 'utf8'));
  }
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
    source,
  };
}

/**
 * Writes a new key to a temporary file and links it into place: several instances starting together over one
 * DATA_DIR end up with the same, complete key file (the loser of the race reads the winner's). False when one was there.
 */
function createKeyFile(dataDir: string, file: string): boolean {
  mkdirSync(dataDir, { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

/** The public key of DATA_DIR's key file, when there is one (the CLI trusts it unless told otherwise). */
export function publicKeyFromDataDir(dataDir: string): KeyObject | null {
  const file = join(dataDir, SIGNING_KEY_FILE);
  return existsSync(file) ? createPublicKey(parsePrivateKey(readFileSync(file, 'utf8'))) : null;
}
