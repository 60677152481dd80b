import { Module } from '@nestjs/common';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { BLOB_STORE, BlobStore, NO_VIRUS_SCAN, VIRUS_SCANNER } from './blob-store.port';
import { FsBlobStore } from './fs-blob-store';
import { S3BlobStore } from './s3-blob-store';

export function createBlobStore(config: AppConfig): BlobStore {
  if (config.blobs.kind === 'embedded') return new FsBlobStore(join(config.dataDir, 'blobs'));
  const s3 = config.blobs.s3;
  const client = new S3Client({
    region: s3.region,
    ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
    forcePathStyle: s3.forcePathStyle,
    ...(s3.accessKeyId && s3.secretAccessKey ? { credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } } : {}),
  });
  return new S3BlobStore(client, { bucket: s3.bucket });
}

/** The evidence blob store (BLOB_STORE) and the virus-scan hook (a port: none is configured by default). */
@Module({
  providers: [
    { provide: BLOB_STORE, inject: [APP_CONFIG], useFactory: createBlobStore },
    { provide: VIRUS_SCANNER, useValue: NO_VIRUS_SCAN },
  ],
  exports: [BLOB_STORE, VIRUS_SCANNER],
})
export class BlobStoreModule {}
