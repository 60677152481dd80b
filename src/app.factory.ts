import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule, AppDependencies } from './app.module';
import { setupOpenApi } from './common/http/api-docs';
import { acceptJsonBodiesOnly } from './common/http/json-only';
import { createValidationPipe } from './common/http/validation';
import { AppConfig } from './config/app-config';
import { createEventStore } from './event-store/event-store.module';
import { requestIdOf } from './ops/request-context';

/** Builds the application (not listening yet); main.ts and the tests share it. */
export async function createApp(config: AppConfig, overrides: Partial<AppDependencies> = {}): Promise<NestFastifyApplication> {
  const eventStore = overrides.eventStore ?? createEventStore(config);
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, trustProxy: config.ops.trustProxy, genReqId: requestIdOf });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, eventStore, clock: overrides.clock }), adapter, {
    logger: process.env.LOG_LEVEL === 'silent' ? false : ['log', 'warn', 'error'],
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoLogger)); // JSON logs (src/ops/logging.ts)
  app.useGlobalPipes(createValidationPipe());
  acceptJsonBodiesOnly(app.getHttpAdapter().getInstance()); // 415 for form, text and multipart bodies
  setupOpenApi(app); // /docs and /docs-json
  app.enableShutdownHooks();
  return app;
}
