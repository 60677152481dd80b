import { Logger } from '@nestjs/common';
import { DisputeDirectoryPort } from './dispute-directory.port';
import { ProjectionEngine } from '../../../read-side/engine/projection-engine.service';
import { DisputeFacts } from './dispute-facts.port';

/**
 * The read side's answer to DisputeFacts: the directory, once the disputes read model caught up with the log
 * (bounded; behind, it is read as it is). Wiring only: the rules see the port.
 */
export function readSideFacts(directory: DisputeDirectoryPort, projections: ProjectionEngine): DisputeFacts {
  const logger = new Logger('DisputeFacts');
  const caughtUp = async () => {
    if (!(await projections.waitForHead('disputes'))) {
      logger.warn('the disputes read model is behind the log: cross-dispute rules read it as it is');
    }
  };
  return {
    async earlierSameDefect(orderId, productSku, defectCode) {
      await caughtUp();
      return directory.earlierSameDefect(orderId, productSku, defectCode);
    },
    async compensatedDisputesSince(customerId, since) {
      await caughtUp();
      return directory.compensatedDisputesSince(customerId, since);
    },
  };
}
