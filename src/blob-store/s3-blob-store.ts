import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { BlobIntegrityError, BlobStore, isSha256, sha256Of } from './blob-store.port';

export interface S3BlobStoreOptions {
  bucket: string;
  /** Key prefix inside the bucket (default `blobs/`). */
  prefix?: string;
}

/**
 * Blobs in an S3-compatible object store (AWS S3, MinIO): key `<prefix><sha256>`. Objects are immutable once
 * written (same key, same bytes); reads check the hash again, so a replaced object is detected.
 */
export class S3BlobStore implements BlobStore {
  private readonly prefix: string;

  constructor(
    private readonly client: S3Client,
    private readonly options: S3BlobStoreOptions,
  ) {
    this.prefix = options.prefix ?? 'blobs/';
  }

  private keyOf(sha256: string): string {
    if (!isSha256(sha256)) throw new Error(`not a SHA-256 address: ${sha256.slice(0, 80)}`);
    return `${this.prefix}${sha256}`;
  }

  async put(content: Buffer): Promise<{ sha256: string; size: number }> {
    const sha256 = sha256Of(content);
    if (!(await this.has(sha256))) {
      const write = () =>
        this.client.send(
          new PutObjectCommand({
            Bucket: this.options.bucket,
            Key: this.keyOf(sha256),
            Body: content,
            ContentLength: content.length,
            ContentType: 'application/octet-stream',
          }),
        );
      try {
        await write();
      } catch (error) {
        // A fresh deployment (docker-compose's MinIO): the bucket is created on the first upload.
        if ((error as { name?: string }).name !== 'NoSuchBucket') throw error;
        await this.createBucket();
        await write();
      }
    }
    return { sha256, size: content.length };
  }

  private async createBucket(): Promise<void> {
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: this.options.bucket }));
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
    }
  }

  async get(sha256: string): Promise<Buffer | null> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(sha256) }));
      const content = Buffer.from(await object.Body!.transformToByteArray());
      if (sha256Of(content) !== sha256) throw new BlobIntegrityError(sha256);
      return content;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(sha256) }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }
}

function isMissing(error: unknown): boolean {
  if (error instanceof NoSuchKey || error instanceof NotFound) return true;
  return error instanceof S3ServiceException && error.$metadata?.httpStatusCode === 404;
}
