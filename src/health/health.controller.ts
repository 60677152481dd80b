import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { sql } from 'kysely';
import { Public } from '../auth/actor';
import { EVENT_STORE, EventStore } from '../event-store/domain/event-store.port';
import { ProjectionEngine } from '../projections/projection-engine.service';
import { READ_STORE, ReadStore } from '../read-store/read-store';

/** Readiness: the event store and the read store answer, and no projection has stopped; lag is reported honestly. */
@Controller()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly engine: ProjectionEngine,
  ) {}

  @Get('health')
  @Public()
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const eventStore = await this.store
      .headPosition()
      .then((headPosition) => ({ status: 'up', headPosition }))
      .catch((error: Error) => ({ status: 'down', error: error.message }));
    const readStore = await sql`select 1 as ok`
      .execute(this.readStore.db)
      .then(() => ({ status: 'up', dialect: this.readStore.dialect }))
      .catch((error: Error) => ({ status: 'down', error: error.message }));
    const projections = eventStore.status === 'up' ? await this.engine.status().catch(() => []) : [];
    const healthy = eventStore.status === 'up' && readStore.status === 'up' && projections.every((p) => p.error === null);
    void reply.status(healthy ? 200 : 503);
    return { status: healthy ? 'ok' : 'degraded', eventStore, readStore, projections };
  }
}
