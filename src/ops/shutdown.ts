import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/**
 * SIGTERM (app.enableShutdownHooks) → Nest closes in this order: onModuleDestroy, beforeApplicationShutdown
 * (here: /health turns 503 and we wait SHUTDOWN_GRACE_MS so load balancers stop routing to us), then
 * Fastify closes (no new connections; requests already accepted run to completion and are answered), and
 * only then onApplicationShutdown: projections stop after their current batch, the event store flushes its
 * pending group commit and closes, the read store closes. Nothing may close a store before that phase.
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  shuttingDown = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.shuttingDown = true;
    const grace = this.config.ops.shutdownGraceMs;
    this.logger.log(`shutting down${signal ? ` on ${signal}` : ''}${grace ? `; draining for ${grace} ms` : ''}`);
    if (grace > 0) await new Promise((resolve) => setTimeout(resolve, grace));
  }
}
