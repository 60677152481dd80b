import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/actor';
import { EVENT_STORE, EventStore } from '../event-store/domain/event-store.port';
import { DIRECTORY_RUNNER } from '../disputes/application/dispute-command.handler';
import { ProjectionRunner } from '../projections/projection-runner';

/** Liveness and readiness: the store answers, and each projection's lag behind the log. */
@Controller()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DIRECTORY_RUNNER) private readonly directory: ProjectionRunner,
  ) {}

  @Get('health')
  @Public()
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      const head = await this.store.headPosition();
      const projections = [{ name: 'dispute-directory', position: this.directory.position, lagEvents: head - this.directory.position, error: this.directory.error?.message ?? null }];
      const healthy = projections.every((p) => p.error === null);
      void reply.status(healthy ? 200 : 503);
      return { status: healthy ? 'ok' : 'degraded', eventStore: { status: 'up', headPosition: head }, projections };
    } catch (error) {
      void reply.status(503);
      return { status: 'down', eventStore: { status: 'down', error: (error as Error).message }, projections: [] };
    }
  }
}
