import { BadRequestException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { derivedId, newCommandId } from '../../shared/ids';
import { Actor } from '../../shared/actor';
import { idempotencyKeyOf, SAFE_HEADER_ID } from './input-rules';

type RequestHeaders = Record<string, string | string[] | undefined>;

/** `If-Match: "7"` (or W/"7", or 7) → 7; absent or `*` → no check. `what`: what the version is of, for the 400. */
export function parseIfMatch(header: string | undefined, what = 'a dispute version'): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) throw new BadRequestException(`If-Match must be ${what} as sent in ETag, e.g. "3"`);
  return Number(match[1]);
}

/** ETag: the version of a policy (or of anything versioned but a dispute): what If-Match on its writes compares with. */
export function withVersionEtag<T extends { version: number }>(reply: FastifyReply, policy: T): T {
  void reply.header('ETag', `"${policy.version}"`);
  return policy;
}

/** An event as API.md's audit routes show it. */
export function toEventView(e: StoredEvent) {
  return {
    eventId: e.eventId,
    type: e.type,
    streamId: e.streamId,
    revision: e.revision,
    position: e.position,
    occurredAt: e.occurredAt,
    data: e.data,
    metadata: e.metadata,
    hash: e.hash,
    prevHash: e.prevHash,
  };
}

/** Stable per (caller, Idempotency-Key) so a retried command is recognised in the stream; random otherwise. */
export function commandIdFor(actor: Actor, headers: RequestHeaders): string {
  const key = idempotencyKeyOf(headers);
  return key ? derivedId(`${actor.id}\u0000${key}`, 'command') : newCommandId();
}

/** X-Correlation-Id when it is a safe id, else `fallback` (never the client's text verbatim). */
export function correlationIdOf(headers: RequestHeaders, fallback: string): string {
  const given = headers['x-correlation-id'];
  return typeof given === 'string' && SAFE_HEADER_ID.test(given) ? given : fallback;
}

/**
 * X-Causation-Id when it is a safe id, else null: a generated cause would point at nothing, so an unusable
 * one is dropped rather than stored.
 */
export function causationIdOf(headers: RequestHeaders): string | null {
  const given = headers['x-causation-id'];
  return typeof given === 'string' && SAFE_HEADER_ID.test(given) ? given : null;
}
