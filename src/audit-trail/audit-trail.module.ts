import { Global, Module } from '@nestjs/common';
import { AuditTrailController } from './audit-trail.controller';
import { AuditTrailService } from './audit-trail.service';

/** Signed checkpoints, verification and case bundles; AuditTrailService is global so reads can ask it for a stream's integrity. */
@Global()
@Module({
  controllers: [AuditTrailController],
  providers: [AuditTrailService],
  exports: [AuditTrailService],
})
export class AuditTrailModule {}
