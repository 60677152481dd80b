import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { Clock } from '../../src/shared/clock';
import { loadConfig } from '../../src/config/app-config';
import { EventStore } from '../../src/shared/event-sourcing/event-store.port';
import { client, TEST_SECRET } from './http-client';

export interface TestApp {
  app: NestFastifyApplication;
  baseUrl: string;
  dataDir: string;
  http: ReturnType<typeof client>;
  close(): Promise<void>;
}

/** The real application on a free port over a fresh (or given) DATA_DIR. */
export async function startTestApp(
  options: { dataDir?: string; clock?: Clock; eventStore?: EventStore; env?: Record<string, string> } = {},
): Promise<TestApp> {
  process.env.LOG_LEVEL ??= 'silent';
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'casetrail-'));
  // The SLA scheduler is off unless a test turns it on: tests that move the clock tick it themselves.
  const config = loadConfig({ DATA_DIR: dataDir, AUTH_JWT_SECRET: TEST_SECRET, PORT: '0', SLA_SCHEDULER_INTERVAL_MS: '0', ...options.env });
  const app = await createApp(config, { clock: options.clock, eventStore: options.eventStore });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return { app, baseUrl, dataDir, http: client(baseUrl), close: () => app.close() };
}

/**
 * One app for the enclosing describe block (or file): started in beforeAll, closed and its DATA_DIR removed
 * in afterAll. The returned object is filled in when beforeAll has run.
 */
export function useTestApp(options: Parameters<typeof startTestApp>[0] = {}): TestApp {
  const t = {} as TestApp;
  beforeAll(async () => {
    Object.assign(t, await startTestApp(options));
  });
  afterAll(async () => {
    await t.close?.();
    if (t.dataDir) removeDir(t.dataDir);
  });
  return t;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
