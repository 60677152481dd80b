import { EVENT_STORE } from '../shared/event-sourcing/event-store.port';
import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { commandRoutes } from './commands/command-routes';
import { CqrsModule } from '@nestjs/cqrs';
import { DisputeCommandHandler } from './application/dispute-command.handler';
import {
  GetDisputeEventsHandler,
  GetDisputeHandler,
  GetDisputeHistoryHandler,
  ListDisputesHandler,
  VerifyDisputeChainHandler,
} from './application/dispute-queries';
import { DisputeExportController } from './http/dispute-export.controller';
import { DisputesController } from './http/disputes.controller';
import { DisputeWriter } from './commands/dispute-writer';
import { CaseWorkspaceController } from './http/case-workspace.controller';
import { CasePoliciesController } from './http/case-policies.controller';
import { EvidencePolicyRegistry } from './application/policies/evidence-policy';
import { AuthorityPolicyRegistry } from './application/policies/authority-policy';
import { DISPUTE_FACTS } from './application/ports/dispute-facts.port';
import { readSideFacts } from './application/ports/read-side-facts';
import { DIRECTORY } from './application/ports/dispute-directory.port';
import { ProjectionEngine } from '../read-side/engine/projection-engine.service';
import { BlobStoreModule } from '../blob-store/blob-store.module';

/** What the disputes context is given by the app: the modules it imports (each created once, shared). */
export interface DisputesDependencies {
  eventStore: DynamicModule;
  /** The read store and the projection engine (commands wait for the disputes read model). */
  readSide: DynamicModule;
  /** Implements this context's ports (DIRECTORY: the list and the cross-dispute facts). */
  readModels: DynamicModule;
  /** The SLA policies and the standing service. */
  sla: DynamicModule;
  auditTrail: DynamicModule;
  compensation: DynamicModule;
}

const metadata: Pick<ModuleMetadata, 'controllers' | 'providers'> = {
  controllers: [
    // One route per write use case (src/disputes/commands/<use-case>/), found from COMMAND_SLICES; then the reads.
    ...commandRoutes(),
    // The agent's case workspace (issue 15), the policies, the disputes' reads.
    CaseWorkspaceController,
    CasePoliciesController,
    DisputesController,
    DisputeExportController,
  ],
  providers: [
    // Cross-dispute facts: a port of this context, answered by the read side.
    { provide: DISPUTE_FACTS, inject: [DIRECTORY, ProjectionEngine, EVENT_STORE], useFactory: readSideFacts },
    DisputeCommandHandler,
    DisputeWriter,
    EvidencePolicyRegistry,
    AuthorityPolicyRegistry,
    GetDisputeHandler,
    ListDisputesHandler,
    GetDisputeEventsHandler,
    GetDisputeHistoryHandler,
    VerifyDisputeChainHandler,
  ],
};

@Module({})
export class DisputesModule {
  static register(deps: DisputesDependencies): DynamicModule {
    return {
      module: DisputesModule,
      imports: [CqrsModule, deps.eventStore, deps.readSide, deps.readModels, deps.sla, deps.auditTrail, deps.compensation, BlobStoreModule],
      ...metadata,
    };
  }
}
