/** Evidence files (issue 15): where they are stored and what is accepted. */
export interface BlobStoreConfig {
  /** BLOB_STORE: `embedded` (files under DATA_DIR/blobs, the default) or `s3` (any S3-compatible store). */
  kind: 'embedded' | 's3';
  /** S3_BUCKET, S3_ENDPOINT (MinIO, or absent for AWS), S3_REGION (default us-east-1), S3_FORCE_PATH_STYLE (default true with an endpoint). */
  s3: {
    bucket: string;
    endpoint: string | null;
    region: string;
    forcePathStyle: boolean;
    accessKeyId: string | null;
    secretAccessKey: string | null;
  };
  /** EVIDENCE_MAX_BYTES (default 10 MiB): the largest evidence file accepted (413 beyond). */
  maxBytes: number;
}

export function loadBlobStoreConfig(env: NodeJS.ProcessEnv, problems: string[]): BlobStoreConfig {
  const kind = (env.BLOB_STORE ?? 'embedded') as BlobStoreConfig['kind'];
  if (!['embedded', 's3'].includes(kind)) problems.push(`BLOB_STORE must be embedded or s3, got "${env.BLOB_STORE}"`);
  if (kind === 's3' && !env.S3_BUCKET) problems.push('S3_BUCKET is required when BLOB_STORE=s3');
  const maxBytes = Number(env.EVIDENCE_MAX_BYTES ?? 10 * 1024 * 1024);
  if (!Number.isInteger(maxBytes) || maxBytes < 1)
    problems.push(`EVIDENCE_MAX_BYTES must be a positive whole number, got "${env.EVIDENCE_MAX_BYTES}"`);
  const endpoint = env.S3_ENDPOINT ?? null;
  return {
    kind,
    s3: {
      bucket: env.S3_BUCKET ?? '',
      endpoint,
      region: env.S3_REGION ?? 'us-east-1',
      forcePathStyle: (env.S3_FORCE_PATH_STYLE ?? (endpoint ? 'true' : 'false')) === 'true',
      accessKeyId: env.S3_ACCESS_KEY_ID ?? null,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? null,
    },
    maxBytes,
  };
}
