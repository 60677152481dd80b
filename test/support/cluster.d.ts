/** Types of test/support/cluster.js (plain CommonJS so bench/cluster.js loads it without a build). */
import type { ChildProcess } from 'node:child_process';

export interface ClusterInstance {
  name: string;
  port: number;
  dataDir: string;
  logPath: string;
  baseUrl: string;
  child: ChildProcess | null;
  starts: number;
  alive(): boolean;
  start(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
  log(): string;
}

export interface Cluster {
  /** The load balancer. */
  url: string;
  /** Which balancer ran: HAProxy's version line, or the Node fallback. */
  proxy: string;
  proxyConfig: string | null;
  databaseUrl: string;
  database: string;
  /** The environment every instance shares (keys, stores). */
  sharedEnv: Record<string, string>;
  dir: string;
  instances: ClusterInstance[];
  instance(name: string): ClusterInstance | undefined;
  stop(options?: { keepDir?: boolean }): Promise<void>;
}

export function startCluster(options: {
  secret: string;
  instances?: number;
  env?: Record<string, string>;
  proxy?: 'auto' | 'haproxy' | 'node';
  startTimeoutMs?: number;
  logLevel?: string;
  /** ALTER DATABASE … SET name = value before the instances start (diagnostics). */
  databaseSettings?: Record<string, string>;
}): Promise<Cluster>;

export function haproxyConfig(port: number, backends: { name: string; port: number }[]): string;
export const ADMIN_URL: string;
