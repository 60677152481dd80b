import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule, AppDependencies } from './app.module';
import { setupOpenApi } from './common/http/api-docs';
import { acceptJsonBodiesOnly } from './common/http/json-only';
import { createValidationPipe } from './common/http/validation';
import { AppConfig } from './config/app-config';
import { OpsConfig } from './config/ops-config';
import { createEventStore } from './event-store/event-store.module';
import { requestIdOf } from './ops/request-context';
import multipart from '@fastify/multipart';
import { EVIDENCE_UPLOAD_ROUTE, evidenceUploadLimits } from './disputes/commands/attach-evidence/evidence-upload';

/** Builds the application (not listening yet); main.ts and the tests share it. */
export async function createApp(config: AppConfig, overrides: Partial<AppDependencies> = {}): Promise<NestFastifyApplication> {
  const eventStore = overrides.eventStore ?? createEventStore(config);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.ops.trustProxy,
    genReqId: requestIdOf,
    ...serverTimeouts(config.ops),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, eventStore, clock: overrides.clock }), adapter, {
    logger: process.env.LOG_LEVEL === 'silent' ? false : ['log', 'warn', 'error'],
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoLogger)); // JSON logs (src/ops/logging.ts)
  app.useGlobalPipes(createValidationPipe());
  // 415 for form, text and multipart bodies, except multipart on the evidence upload route (issue 15).
  acceptJsonBodiesOnly(app.getHttpAdapter().getInstance(), { multipartRoutes: [EVIDENCE_UPLOAD_ROUTE] });
  await app.register(multipart as never, { limits: evidenceUploadLimits(config.blobs.maxBytes) });
  setupOpenApi(app); // /docs and /docs-json
  app.enableShutdownHooks();
  return app;
}

/**
 * Deadlines for slow clients (README "Tokens and limits"): the headers within HEADERS_TIMEOUT_MS and the whole
 * request within REQUEST_TIMEOUT_MS (Node answers 408 and closes: a body dripped in a byte at a time no
 * longer holds a connection for good), and a connection idle in both directions for CONNECTION_TIMEOUT_MS is
 * closed. Node looks for requests past their deadline on a timer (every 30 s by default); it runs here every
 * tenth of the shorter deadline (50 ms to 1 s), so a deadline is kept to within that.
 */
export function serverTimeouts(ops: OpsConfig) {
  const deadlines = [ops.requestTimeoutMs, ops.headersTimeoutMs].filter((ms) => ms > 0);
  const connectionsCheckingInterval = deadlines.length > 0 ? Math.max(50, Math.min(1000, Math.floor(Math.min(...deadlines) / 10))) : 30_000;
  return {
    requestTimeout: ops.requestTimeoutMs,
    connectionTimeout: ops.connectionTimeoutMs,
    http: { requestTimeout: ops.requestTimeoutMs, headersTimeout: ops.headersTimeoutMs, connectionsCheckingInterval },
  };
}
