import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CLOCK, Clock } from '../../shared/clock';
import { Actor } from '../../shared/actor';
import { EVENT_STORE, EventStore } from '../../shared/event-sourcing/event-store.port';
import { handleCommand } from '../../shared/event-sourcing/handle-command';
import { PreconditionFailedError } from '../../shared/event-sourcing/command-errors';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { GetMonthlySlaReportQuery } from '../../read-models/sla-reports/sla-report.query-handlers';
import {
  evolvePublication,
  initialPublication,
  InternalReport,
  MonthPublished,
  PUBLICATION_STREAM,
  publicationDecider,
  PublicationState,
  PublishMonth,
} from '../../sla/domain/publication';
import { PublishedMonth } from '../http/public-page';
import { SlaPolicyAdmin } from '../../sla/application/sla-policy.admin';
import { SlaPolicyRegistry } from '../../sla/application/sla-policy.registry';

/** Issue 14: publishing a closed month's figures (frozen in an event) and reading what was published. */
@Injectable()
export class PublicationService {
  constructor(
    @Inject(EVENT_STORE) private readonly log: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly queries: QueryBus,
    private readonly projections: ProjectionEngine,
    private readonly admin: SlaPolicyAdmin,
    private readonly policies: SlaPolicyRegistry,
  ) {}

  /** The internal monthly report, once penalties are executed and every model involved reached the head. */
  async monthlyReport(month: string): Promise<InternalReport> {
    await this.admin.penaltiesSettled();
    for (const model of ['disputes', 'penalties', 'sla-supervision']) await this.projections.waitForHead(model);
    const { businessCalendar } = await this.policies.current();
    return this.queries.execute(new GetMonthlySlaReportQuery(month, businessCalendar.timeZone));
  }

  /** `ifMatch` (If-Match): the month's `revision` the manager read (0: unpublished); 412 when another is out now. */
  async publish(month: string, reason: string | null, actor: Actor, ifMatch?: number): Promise<PublishedMonth> {
    const report = await this.monthlyReport(month);
    const names = (await this.policies.current()).publicNames === true;
    const commandId = randomUUID();
    const command: PublishMonth = {
      type: 'PublishMonth',
      data: { report, reason, by: actor.id, at: this.clock.now().toISOString(), names },
    };
    await handleCommand(
      this.log,
      PUBLICATION_STREAM,
      publicationDecider,
      ({ state }) => {
        const revision = state.months.get(month)?.length ?? 0;
        if (ifMatch !== undefined && ifMatch !== revision) throw new PreconditionFailedError(ifMatch, revision, `the revision of ${month}`);
        return command;
      },
      {
        metadata: () => ({
          actorId: actor.id,
          actorRoles: actor.roles,
          commandId,
          commandType: 'PublishMonth',
          correlationId: commandId,
          causationId: null,
          policyVersion: null,
          schemaVersion: 1,
        }),
      },
    );
    return this.published(month);
  }

  async published(month: string): Promise<PublishedMonth> {
    const events = await this.log.readStream(PUBLICATION_STREAM);
    const state: PublicationState = events.reduce(
      (s, e) => evolvePublication(s, { type: 'MonthPublished', data: e.data } as MonthPublished),
      initialPublication(),
    );
    const history = state.months.get(month);
    if (!history?.length) throw new NotFoundException(`the figures of ${month} are not published`);
    const latest = history.at(-1)!;
    return {
      revision: latest.revision,
      at: latest.at,
      reason: latest.reason,
      figures: latest.figures,
      revisions: history.map(({ revision, at, reason }) => ({ revision, at, reason })),
    };
  }
}
