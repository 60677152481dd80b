import { DynamicModule, Module } from '@nestjs/common';
import { SlaPolicyAdmin } from './application/sla-policy.admin';
import { SlaPolicyRegistry } from './application/sla-policy.registry';
import { StandingService } from './application/standing.service';
import { StandingController } from './http/standing.controller';

/**
 * The SLA policy versions, read from their stream and cached: one instance, shared by the projection catalog
 * (the read side needs it to run the disputes model), the SLA context and the disputes' writes.
 */
@Module({})
export class SlaPolicyModule {
  static register(eventStore: DynamicModule): DynamicModule {
    return {
      module: SlaPolicyModule,
      imports: [eventStore],
      providers: [SlaPolicyRegistry],
      exports: [SlaPolicyRegistry],
    };
  }
}

/** The SLA rules context: the policy and its administration, and the agents' and departments' standing (penalties). */
@Module({})
export class SlaModule {
  static register(deps: { eventStore: DynamicModule; readSide: DynamicModule; policies: DynamicModule }): DynamicModule {
    return {
      module: SlaModule,
      imports: [deps.eventStore, deps.readSide, deps.policies],
      controllers: [StandingController],
      providers: [SlaPolicyAdmin, StandingService],
      exports: [deps.policies, SlaPolicyAdmin, StandingService],
    };
  }
}
