import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, AppDependencies } from './app.module';
import { createValidationPipe } from './common/http/validation';
import { AppConfig } from './config/app-config';
import { createEventStore } from './event-store/event-store.module';

/** Builds the application (not listening yet); main.ts and the tests share it. */
export async function createApp(config: AppConfig, overrides: Partial<AppDependencies> = {}): Promise<NestFastifyApplication> {
  const eventStore = overrides.eventStore ?? createEventStore(config);
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, eventStore, clock: overrides.clock }), adapter, {
    logger: process.env.LOG_LEVEL === 'silent' ? false : ['log', 'warn', 'error'],
  });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  return app;
}
