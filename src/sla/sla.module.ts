import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BreachScheduler } from './application/breach-scheduler';
import { SlaPolicyAdmin } from './application/sla-policy.admin';
import { SlaPolicyRegistry } from './application/sla-policy.registry';
import { SlaController } from './http/sla.controller';

/** SLA policy and its versions, the breach scheduler, penalties, breach handling and SLA reports. */
@Global()
@Module({
  imports: [CqrsModule],
  controllers: [SlaController],
  providers: [SlaPolicyRegistry, SlaPolicyAdmin, BreachScheduler],
  exports: [SlaPolicyRegistry, SlaPolicyAdmin, BreachScheduler],
})
export class SlaModule {}
