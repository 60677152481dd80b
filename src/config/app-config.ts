import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { maxTokenTtlFrom } from './token-ttl';
import { loadOpsConfig, OpsConfig } from './ops-config';
import { loadWhatIfConfig, WhatIfConfig } from './what-if-config';
import { AuditConfig, loadAuditConfig } from './audit-config';
import { parsePseudonymKey } from './pseudonym-key';
import { BlobStoreConfig, loadBlobStoreConfig } from './blob-store-config';
import { parseMasterKey } from './privacy-master-key';

/** Configuration from the environment (API.md "Start-up and configuration"), validated once at start. */
export interface AppConfig {
  port: number;
  dataDir: string;
  eventStore: 'embedded' | 'eventstoredb' | 'postgres';
  eventStoreConnectionString: string | null;
  /** EVENT_STORE=postgres: EVENT_STORE_DATABASE_URL, else DATABASE_URL (one database for the log and the read models). */
  eventStoreDatabaseUrl: string | null;
  readStore: 'embedded' | 'postgres';
  databaseUrl: string | null;
  jwtSecret: string;
  /** True when no AUTH_JWT_SECRET was given and a random one was generated (dev tokens are printed). */
  jwtSecretGenerated: boolean;
  /** AUTH_MAX_TOKEN_TTL in seconds (default 12 h): the longest lifetime (`exp - iat`) a token may have. */
  authMaxTokenTtlSeconds: number;
  bodyLimitBytes: number;
  /** How often the SLA scheduler looks for passed deadlines; 0 turns the scheduler off (tests tick it themselves). */
  slaSchedulerIntervalMs: number;
  /**
   * PROJECTIONS_THREAD: where projections run. `auto` (default): a worker thread when the service runs
   * compiled (npm start), so applying batches never takes the request thread's CPU; `inline`: this thread.
   */
  projectionsThread: 'auto' | 'worker' | 'inline';
  /** Operations (issue #6): logging, rate limits, metrics, shutdown; see src/config/ops-config.ts. */
  ops: OpsConfig;
  /** What-if replays: time budget and concurrency (src/config/what-if-config.ts). */
  whatIf: WhatIfConfig;
  /** Signed checkpoints and verification (src/audit-trail/audit-config.ts). */
  audit: AuditConfig;
  /** PSEUDONYM_KEY (base64 or hex, ≥ 32 bytes): the HMAC key of analysts' pseudonyms; absent: DATA_DIR/pseudonym-key. */
  pseudonymKey?: string | null;
  /** Evidence files (issue 15): src/blob-store/blob-store-config.ts. */
  blobs: BlobStoreConfig;
  /** PRIVACY_MASTER_KEY (base64 or hex, 32 bytes): wraps the per-customer data keys; absent: DATA_DIR/privacy-master-key. */
  privacyMasterKey?: string | null;
  /**
   * Where the per-customer data keys live: beside the log, never in the rebuildable read store (a write must not
   * depend on the read side). EVENT_STORE=postgres: the log's database; embedded: DATA_DIR/data-keys.db;
   * eventstoredb: DATA_KEYS_DATABASE_URL (a PostgreSQL database, required for several instances), else DATA_DIR.
   */
  dataKeysDatabaseUrl?: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be a port number, got "${env.PORT}"`);
  const eventStore = (env.EVENT_STORE ?? 'embedded') as AppConfig['eventStore'];
  if (!['embedded', 'eventstoredb', 'postgres'].includes(eventStore))
    problems.push(`EVENT_STORE must be embedded, eventstoredb or postgres, got "${env.EVENT_STORE}"`);
  // A log on PostgreSQL keeps its read models there too unless READ_STORE says otherwise.
  const readStore = (env.READ_STORE ?? (eventStore === 'postgres' ? 'postgres' : 'embedded')) as AppConfig['readStore'];
  if (!['embedded', 'postgres'].includes(readStore)) problems.push(`READ_STORE must be embedded or postgres, got "${env.READ_STORE}"`);
  if (eventStore === 'eventstoredb' && !env.EVENTSTORE_CONNECTION_STRING) {
    problems.push('EVENTSTORE_CONNECTION_STRING is required when EVENT_STORE=eventstoredb');
  }
  const eventStoreDatabaseUrl = eventStore === 'postgres' ? (env.EVENT_STORE_DATABASE_URL ?? env.DATABASE_URL ?? null) : null;
  if (eventStore === 'postgres' && !eventStoreDatabaseUrl) {
    problems.push('EVENT_STORE_DATABASE_URL or DATABASE_URL is required when EVENT_STORE=postgres');
  }
  if (readStore === 'postgres' && !env.DATABASE_URL) problems.push('DATABASE_URL is required when READ_STORE=postgres');
  const secret = env.AUTH_JWT_SECRET;
  const embedded = eventStore === 'embedded' && readStore === 'embedded';
  if (!secret && !embedded) problems.push('AUTH_JWT_SECRET is required outside the embedded mode');
  if (secret !== undefined && secret.length < 16) problems.push('AUTH_JWT_SECRET must be at least 16 characters');
  const authMaxTokenTtlSeconds = maxTokenTtlFrom(env, problems);
  const ops = loadOpsConfig(env, problems);
  const whatIf = loadWhatIfConfig(env, problems);
  const audit = loadAuditConfig(env, problems);
  const blobs = loadBlobStoreConfig(env, problems);
  const slaSchedulerIntervalMs = Number(env.SLA_SCHEDULER_INTERVAL_MS ?? 500);
  if (!Number.isInteger(slaSchedulerIntervalMs) || slaSchedulerIntervalMs < 0) {
    problems.push(
      `SLA_SCHEDULER_INTERVAL_MS must be a whole number of milliseconds (0 turns the timer off), got "${env.SLA_SCHEDULER_INTERVAL_MS}"`,
    );
  }
  const projectionsThread = (env.PROJECTIONS_THREAD ?? 'auto') as AppConfig['projectionsThread'];
  if (!['auto', 'worker', 'inline'].includes(projectionsThread))
    problems.push(`PROJECTIONS_THREAD must be auto, worker or inline, got "${env.PROJECTIONS_THREAD}"`);
  const pseudonymKey = env.PSEUDONYM_KEY?.trim() || null;
  if (pseudonymKey !== null) {
    try {
      parsePseudonymKey(pseudonymKey);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  const privacyMasterKey = env.PRIVACY_MASTER_KEY?.trim() || null;
  if (privacyMasterKey !== null) {
    try {
      parseMasterKey(privacyMasterKey);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    dataDir: resolve(env.DATA_DIR ?? './data'),
    eventStore,
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING ?? null,
    eventStoreDatabaseUrl,
    readStore,
    databaseUrl: env.DATABASE_URL ?? null,
    jwtSecret: secret ?? randomBytes(32).toString('hex'),
    jwtSecretGenerated: !secret,
    authMaxTokenTtlSeconds,
    bodyLimitBytes: 1024 * 1024,
    slaSchedulerIntervalMs,
    projectionsThread,
    ops,
    whatIf,
    audit,
    pseudonymKey,
    blobs,
    privacyMasterKey,
    dataKeysDatabaseUrl: eventStore === 'postgres' ? eventStoreDatabaseUrl : env.DATA_KEYS_DATABASE_URL?.trim() || null,
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
