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

@Module({
  imports: [CqrsModule],
  controllers: [DisputesController],
  providers: [
    DisputeCommandHandler,
    GetDisputeHandler,
    ListDisputesHandler,
    GetDisputeEventsHandler,
    GetDisputeHistoryHandler,
    VerifyDisputeChainHandler,
  ],
})
export class DisputesModule {}
