import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { FsBlobStore } from '../../../src/blob-store/fs-blob-store';
import { S3BlobStore } from '../../../src/blob-store/s3-blob-store';
import { blobStoreContract } from '../../contract/blob-store.contract';
import { removeDir } from '../../support/test-app';
import { startLocalS3 } from '../../support/local-s3';

describe('embedded (files under DATA_DIR)', () => {
  const root = mkdtempSync(join(tmpdir(), 'casetrail-blobs-'));
  afterAll(() => removeDir(root));
  blobStoreContract('FsBlobStore', () => ({
    store: () => new FsBlobStore(root),
    tamper: async (sha256, bytes) => writeFileSync(join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256), bytes),
  }));
});

describe('S3-compatible (a local S3 server started by the test)', () => {
  let s3: Awaited<ReturnType<typeof startLocalS3>>;
  let client: S3Client;
  beforeAll(async () => {
    s3 = await startLocalS3();
    client = s3.client();
    await client.send(new CreateBucketCommand({ Bucket: 'evidence' }));
  });
  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
  });
  blobStoreContract('S3BlobStore', () => ({
    store: () => new S3BlobStore(client, { bucket: 'evidence' }),
    tamper: async (sha256, bytes) => {
      await client.send(new PutObjectCommand({ Bucket: 'evidence', Key: `blobs/${sha256}`, Body: bytes }));
    },
  }));

  it('creates its bucket on the first upload (a fresh MinIO)', async () => {
    const store = new S3BlobStore(client, { bucket: 'fresh-bucket' });
    expect(await store.has('0'.repeat(64))).toBe(false);
    const { sha256 } = await store.put(Buffer.from('first receipt'));
    expect((await store.get(sha256))!.toString()).toBe('first receipt');
  });

  it('the server really listens on a port (not an in-process double)', () => {
    expect((s3.address as AddressInfo).port).toBeGreaterThan(0);
  });
});
