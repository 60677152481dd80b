import { DynamicModule, Module } from '@nestjs/common';
import { AuditTrailController } from './audit-trail.controller';
import { AuditTrailService } from './audit-trail.service';

/** Signed checkpoints, verification and case bundles; AuditTrailService is exported so reads can ask it for a stream's integrity. */
@Module({})
export class AuditTrailModule {
  static register(eventStore: DynamicModule): DynamicModule {
    return {
      module: AuditTrailModule,
      imports: [eventStore],
      controllers: [AuditTrailController],
      providers: [AuditTrailService],
      exports: [AuditTrailService],
    };
  }
}
