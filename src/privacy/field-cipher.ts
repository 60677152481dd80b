import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for personal fields and for wrapping data keys. A field is stored as an envelope; the event hash
 * covers the envelope (the ciphertext), so destroying the key leaves every hash chain intact.
 */
export interface FieldEnvelope {
  $enc: 1;
  /** The subject: the customer's pseudonym (never the plaintext id). */
  ref: string;
  /** The data key's id. */
  kid: string;
  iv: string;
  ct: string;
  tag: string;
}

export function isEnvelope(value: unknown): value is FieldEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.$enc === 1 && typeof v.ref === 'string' && typeof v.kid === 'string' && typeof v.ct === 'string';
}

/** The field name is authenticated: an envelope moved to another field does not decrypt. */
export function sealField(key: Buffer, ref: string, kid: string, field: string, value: unknown): FieldEnvelope {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`${ref}\0${kid}\0${field}`));
  const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return { $enc: 1, ref, kid, iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

export function openField(key: Buffer, field: string, envelope: FieldEnvelope): unknown {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
  decipher.setAAD(Buffer.from(`${envelope.ref}\0${envelope.kid}\0${field}`));
  decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
  const plain = Buffer.concat([decipher.update(Buffer.from(envelope.ct, 'base64')), decipher.final()]);
  return JSON.parse(plain.toString('utf8'));
}

/** A data key wrapped by the master key, bound to its id and subject: `iv.ct.tag` in base64. */
export function wrapKey(master: Buffer, kid: string, ref: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', master, iv);
  cipher.setAAD(Buffer.from(`${kid}\0${ref}`));
  const ct = Buffer.concat([cipher.update(key), cipher.final()]);
  return [iv, ct, cipher.getAuthTag()].map((b) => b.toString('base64')).join('.');
}

export function unwrapKey(master: Buffer, kid: string, ref: string, wrapped: string): Buffer {
  const [iv, ct, tag] = wrapped.split('.').map((part) => Buffer.from(part, 'base64'));
  const decipher = createDecipheriv('aes-256-gcm', master, iv);
  decipher.setAAD(Buffer.from(`${kid}\0${ref}`));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    throw new Error(
      `data key ${kid} does not unwrap under this PRIVACY_MASTER_KEY: it was wrapped by another master key ` +
        '(every instance and tool over one log needs the same PRIVACY_MASTER_KEY and PSEUDONYM_KEY)',
    );
  }
}
