import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BreachScheduler } from './application/breach-scheduler';
import { SlaPolicyAdmin } from './application/sla-policy.admin';
import { SlaPolicyRegistry } from './application/sla-policy.registry';
import { SlaController } from './http/sla.controller';
import { StandingService } from './application/standing.service';
import { PublicationService } from './application/publication.service';
import { StandingController } from './http/standing.controller';
import { PublicSlaController } from './http/public-sla.controller';
import { SlaLineageController } from './http/sla-lineage.controller';
import { SupervisionController } from './http/supervision.controller';
import { WhatIfRunner } from './what-if/what-if-runner';

/** SLA policy and its versions, the breach scheduler, penalties, breach handling and SLA reports. */
@Global()
@Module({
  imports: [CqrsModule],
  controllers: [SlaController, StandingController, SupervisionController, PublicSlaController, SlaLineageController],
  providers: [SlaPolicyRegistry, SlaPolicyAdmin, BreachScheduler, WhatIfRunner, StandingService, PublicationService],
  exports: [SlaPolicyRegistry, SlaPolicyAdmin, BreachScheduler, StandingService],
})
export class SlaModule {}
