import { BadRequestException } from '@nestjs/common';
import { StoredEvent } from '../../shared/event-sourcing/event-store.port';
import { derivedId, newCommandId } from '../../shared/ids';
import { Actor } from '../../shared/actor';
import { idempotencyKeyOf, SAFE_HEADER_ID } from '../../common/http/input-rules';

type RequestHeaders = Record<string, string | string[] | undefined>;

/** `If-Match: "7"` (or W/"7", or 7) → 7; absent or `*` → no check. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) throw new BadRequestException('If-Match must be a dispute version as sent in ETag, e.g. "3"');
  return Number(match[1]);
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
