import { Global, Module } from '@nestjs/common';
import { SlaPolicyAdmin } from './application/sla-policy.admin';
import { SlaPolicyRegistry } from './application/sla-policy.registry';
import { StandingService } from './application/standing.service';
import { StandingController } from './http/standing.controller';

/** The SLA rules context: the policy and its versions, and the agents' and departments' standing (penalties). */
@Global()
@Module({
  controllers: [StandingController],
  providers: [SlaPolicyRegistry, SlaPolicyAdmin, StandingService],
  exports: [SlaPolicyRegistry, SlaPolicyAdmin, StandingService],
})
export class SlaModule {}
