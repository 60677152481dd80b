import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
    if (existsSync(file)) {
      privateKey = parsePrivateKey(readFileSync(file, 'utf8'));
      source = 'file';
    } else {
      mkdirSync(options.dataDir, { recursive: true });
      privateKey = generateKeyPairSync('ed25519').privateKey;
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      source = 'generated';
    }
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), keyId: keyIdOf(publicKey), source };
}

/** The public key of DATA_DIR's key file, when there is one (the CLI trusts it unless told otherwise). */
export function publicKeyFromDataDir(dataDir: string): KeyObject | null {
  const file = join(dataDir, SIGNING_KEY_FILE);
  return existsSync(file) ? createPublicKey(parsePrivateKey(readFileSync(file, 'utf8'))) : null;
}
