import { EVENT_STORE } from '../shared/event-sourcing/event-store.port';
import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
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
import { FileDisputeRoute } from './commands/file-dispute/file-dispute.route';
import { AcknowledgeDisputeRoute } from './commands/acknowledge/acknowledge.route';
import { AssignDisputeRoute } from './commands/assign/assign.route';
import { NegotiateDisputeRoute } from './commands/negotiate/negotiate.route';
import { EscalateDisputeRoute } from './commands/escalate/escalate.route';
import { RecordOutcomeRoute } from './commands/record-outcome/record-outcome.route';
import { ProposeCompensationRoute } from './commands/propose-compensation/propose-compensation.route';
import { ApproveCompensationRoute } from './commands/approve-compensation/approve-compensation.route';
import { DeclineCompensationRoute } from './commands/decline-compensation/decline-compensation.route';
import { PayCompensationRoute } from './commands/pay-compensation/pay-compensation.route';
import { RejectDisputeRoute } from './commands/reject/reject.route';
import { WithdrawDisputeRoute } from './commands/withdraw/withdraw.route';
import { CloseDisputeRoute } from './commands/close/close.route';
import { ReopenDisputeRoute } from './commands/reopen/reopen.route';
import { RecordFeedbackRoute } from './commands/record-feedback/record-feedback.route';
import { AddNoteRoute } from './commands/add-note/add-note.route';
import { RecordContactRoute } from './commands/record-contact/record-contact.route';
import { AttachEvidenceRoute } from './commands/attach-evidence/attach-evidence.route';
import { EscalateInternallyRoute } from './commands/escalate-internally/escalate-internally.route';
import { AnswerInternalEscalationRoute } from './commands/answer-internal-escalation/answer-internal-escalation.route';
import { CaseWorkspaceController } from './http/case-workspace.controller';
import { CasePoliciesController } from './http/case-policies.controller';
import { EvidencePolicyRegistry } from './application/policies/evidence-policy';
import { AuthorityPolicyRegistry } from './application/policies/authority-policy';
import { DISPUTE_FACTS } from './application/ports/dispute-facts.port';
import { readSideFacts } from './application/ports/read-side-facts';
import { DIRECTORY } from './application/ports/dispute-directory.port';
import { ProjectionEngine } from '../read-side/engine/projection-engine.service';
import { BlobStoreModule } from '../blob-store/blob-store.module';

import { SendApologyRoute } from './commands/send-apology/send-apology.route';
import { DeliverBreachRemedyRoute } from './commands/deliver-breach-remedy/deliver-breach-remedy.route';

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
  // One route per write use case (src/disputes/commands/<use-case>/), then the reads.
  controllers: [
    FileDisputeRoute,
    AcknowledgeDisputeRoute,
    AssignDisputeRoute,
    NegotiateDisputeRoute,
    EscalateDisputeRoute,
    RecordOutcomeRoute,
    ProposeCompensationRoute,
    ApproveCompensationRoute,
    DeclineCompensationRoute,
    PayCompensationRoute,
    RejectDisputeRoute,
    WithdrawDisputeRoute,
    CloseDisputeRoute,
    ReopenDisputeRoute,
    RecordFeedbackRoute,
    // issue 14
    SendApologyRoute,
    DeliverBreachRemedyRoute,
    // The agent's case workspace (issue 15).
    AddNoteRoute,
    RecordContactRoute,
    AttachEvidenceRoute,
    EscalateInternallyRoute,
    AnswerInternalEscalationRoute,
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
