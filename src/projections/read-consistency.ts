import { BadRequestException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ProjectionEngine } from './projection-engine.service';

/**
 * Read-your-writes: a write answers with `X-Casetrail-Position`; a read sending it back as
 * `X-Casetrail-Min-Position` waits (at most `timeoutMs`) until its read model has caught up. If it could not,
 * the answer says so with `X-Casetrail-Stale: true` rather than failing.
 */
export async function awaitConsistency(
  engine: ProjectionEngine,
  projection: string,
  header: string | undefined,
  reply: FastifyReply,
  timeoutMs = 2000,
): Promise<void> {
  if (header === undefined) return;
  const position = Number(header);
  if (!Number.isInteger(position) || position < 0) throw new BadRequestException('X-Casetrail-Min-Position must be a log position from X-Casetrail-Position');
  const caughtUp = await engine.waitFor(projection, position, timeoutMs);
  void reply.header('X-Casetrail-Stale', caughtUp ? 'false' : 'true');
}
