import { PenaltiesProjection } from './penalties/penalties.projection';
import { AuditProjection } from './audit/audit.projection';
import { DisputesProjection, PolicySource } from './disputes/disputes.projection';

/** The rebuildable read models; `policies` lets the disputes model find every SLA policy version. */
export const PROJECTIONS = (policies?: PolicySource) => [new DisputesProjection(policies), new AuditProjection(), new PenaltiesProjection()];
