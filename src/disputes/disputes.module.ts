import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DisputeCommandHandler } from './application/dispute-command.handler';
import {
  GetDisputeEventsHandler,
  GetDisputeHandler,
  GetDisputeHistoryHandler,
  ListDisputesHandler,
  VerifyDisputeChainHandler,
} from './application/dispute-queries';
import { DisputesController } from './http/disputes.controller';
import { DISPUTE_FACTS } from './application/ports/dispute-facts.port';
import { readSideFacts } from './application/ports/read-side-facts';
import { DIRECTORY, DisputeDirectory } from '../projections/disputes/dispute-directory';
import { ProjectionEngine } from '../projections/projection-engine.service';

@Module({
  imports: [CqrsModule],
  controllers: [DisputesController],
  providers: [
    // Cross-dispute facts: a port of this context, answered by the read side.
    { provide: DISPUTE_FACTS, inject: [DIRECTORY, ProjectionEngine], useFactory: readSideFacts },
    DisputeCommandHandler,
    GetDisputeHandler,
    ListDisputesHandler,
    GetDisputeEventsHandler,
    GetDisputeHistoryHandler,
    VerifyDisputeChainHandler,
  ],
})
export class DisputesModule {}
