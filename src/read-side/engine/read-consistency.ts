import { BadRequestException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ProjectionEngine } from './projection-engine.service';

/**
 * Read-your-writes: a write answers with `X-Casetrail-Position`; a read sending it back as
 * `X-Casetrail-Min-Position` waits (at most `timeoutMs`) until its read model has caught up. If it could not,
 * the answer says so with `X-Casetrail-Stale: true` rather than failing. Without the header, the read waits
 * for the log's head as of the request.
 */
export async function awaitConsistency(
  engine: ProjectionEngine,
  projection: string,
  header: string | undefined,
  reply: FastifyReply,
  timeoutMs = 2000,
): Promise<void> {
  let caughtUp: boolean;
  if (header === undefined) {
    // Without a position, wait (briefly) for the log's head as of now: a queue should not lag behind a write
    // the agent just saw succeed in another tab.
    caughtUp = await engine.waitForHead(projection, Math.min(timeoutMs, 1000));
  } else {
    const position = Number(header);
    if (!Number.isInteger(position) || position < 0)
      throw new BadRequestException('X-Casetrail-Min-Position must be a log position from X-Casetrail-Position');
    caughtUp = await engine.waitFor(projection, position, timeoutMs);
  }
  void reply.header('X-Casetrail-Stale', caughtUp ? 'false' : 'true');
}
