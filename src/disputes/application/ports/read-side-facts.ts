import { Logger } from '@nestjs/common';
import { DisputeDirectoryPort } from './dispute-directory.port';
import { ProjectionEngine } from '../../../read-side/engine/projection-engine.service';
import { EventStore } from '../../../shared/event-sourcing/event-store.port';
import { DisputeFacts } from './dispute-facts.port';
import { orderLineKey, RecentDefectFilings } from '../recent-defect-filings';

/**
 * The read side's answer to DisputeFacts: the directory, once the disputes read model caught up with the log
 * (bounded; behind, it is read as it is). Wiring only: the rules see the port.
 *
 * The repeated-defect count does not wait (issue 19 item 4): the read model's count at its checkpoint, read in
 * one statement with that checkpoint, plus the filings the log holds past it (RecentDefectFilings). The same
 * count the waiting version gave, without the wait; far behind (a rebuild, a restart), it waits as before.
 */
export function readSideFacts(directory: DisputeDirectoryPort, projections: ProjectionEngine, log: EventStore): DisputeFacts {
  const logger = new Logger('DisputeFacts');
  const recent = new RecentDefectFilings(log);
  const caughtUp = async () => {
    if (!(await projections.waitForHead('disputes'))) {
      logger.warn('the disputes read model is behind the log: cross-dispute rules read it as it is');
    }
  };
  return {
    async earlierSameDefect(orderId, productSku, defectCode) {
      const [projected, head] = await Promise.all([directory.earlierSameDefectAt(orderId, productSku, defectCode), log.headPosition()]);
      const past = await recent.countAfter(orderLineKey(orderId, productSku, defectCode), projected.position, head);
      if (past !== null) return projected.count + past;
      await caughtUp();
      return directory.earlierSameDefect(orderId, productSku, defectCode);
    },
    async compensatedDisputesSince(customerId, since) {
      await caughtUp();
      return directory.compensatedDisputesSince(customerId, since);
    },
  };
}
