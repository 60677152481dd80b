import { SlaLineageController } from './http/sla-lineage.controller';
import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BreachScheduler } from './application/breach-scheduler';
import { PublicationService } from './application/publication.service';
import { PublicSlaController } from './http/public-sla.controller';
import { SlaController } from './http/sla.controller';
import { SupervisionController } from './http/supervision.controller';
import { WhatIfRunner } from './what-if/what-if-runner';

/**
 * SLA supervision, downstream of `sla`, `disputes` and `read-models`: the breach scheduler (executes dispute
 * commands), the SLA routes, breach reports and investigations, the monthly publication and the what-if replay.
 * Dispute commands and report queries go through the command and query buses (CqrsModule).
 */
@Module({})
export class SlaSupervisionModule {
  static register(deps: { eventStore: DynamicModule; readSide: DynamicModule; sla: DynamicModule; ops: DynamicModule }): DynamicModule {
    return {
      module: SlaSupervisionModule,
      imports: [CqrsModule, deps.eventStore, deps.readSide, deps.sla, deps.ops],
      controllers: [SlaController, SupervisionController, PublicSlaController, SlaLineageController],
      providers: [BreachScheduler, WhatIfRunner, PublicationService],
      exports: [BreachScheduler],
    };
  }
}
