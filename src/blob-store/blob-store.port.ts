import { createHash } from 'node:crypto';

/**
 * Where evidence files live: content addressed by SHA-256 (hex), so the event that records the hash covers the
 * bytes, and storing the same content twice stores it once. Adapters: the embedded file store under DATA_DIR
 * (fs-blob-store.ts) and any S3-compatible object store (s3-blob-store.ts); one contract suite for both
 * (test/contract/blob-store.contract.ts).
 */
export interface BlobStore {
  /** Stores the content under its SHA-256 (idempotent) and returns that address. */
  put(content: Buffer): Promise<{ sha256: string; size: number }>;
  /** The content at this address, or null when there is none. An adapter never returns bytes whose hash differs. */
  get(sha256: string): Promise<Buffer | null>;
  has(sha256: string): Promise<boolean>;
}

export const BLOB_STORE = Symbol('BLOB_STORE');

export const sha256Of = (content: Buffer) => createHash('sha256').update(content).digest('hex');

export const isSha256 = (value: string) => /^[0-9a-f]{64}$/.test(value);

/** Thrown when stored bytes no longer match their address (tampered with, or corrupted). */
export class BlobIntegrityError extends Error {
  constructor(readonly sha256: string) {
    super(`the stored content of blob ${sha256} does not match its SHA-256`);
    this.name = 'BlobIntegrityError';
  }
}

/** The virus-scan hook (issue 15): every upload passes it before it is stored. The default lets everything through. */
export interface VirusScanner {
  scan(content: Buffer, fileName: string): Promise<{ clean: true } | { clean: false; threat: string }>;
}
export const VIRUS_SCANNER = Symbol('VIRUS_SCANNER');
export const NO_VIRUS_SCAN: VirusScanner = { scan: async () => ({ clean: true }) };
