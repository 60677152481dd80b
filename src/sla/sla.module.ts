import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BreachScheduler } from './application/breach-scheduler';
import { SlaPolicyAdmin } from './application/sla-policy.admin';
import { SlaPolicyRegistry } from './application/sla-policy.registry';
import { SlaController } from './http/sla.controller';
import { WhatIfRunner } from './what-if/what-if-runner';

/** SLA policy and its versions, the breach scheduler, penalties, breach handling and SLA reports. */
@Global()
@Module({
  imports: [CqrsModule],
  controllers: [SlaController],
  providers: [SlaPolicyRegistry, SlaPolicyAdmin, BreachScheduler, WhatIfRunner],
  exports: [SlaPolicyRegistry, SlaPolicyAdmin, BreachScheduler],
})
export class SlaModule {}
