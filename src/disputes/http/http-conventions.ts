import { BadRequestException } from '@nestjs/common';
import { StoredEvent } from '../../event-store/domain/event-store.port';
import { derivedId, newCommandId } from '../application/dispute-command.handler';
import { Actor } from '../domain/dispute.types';

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
export function commandIdFor(actor: Actor, headers: Record<string, string | undefined>): string {
  const key = headers['idempotency-key'];
  return key ? derivedId(`${actor.id}\u0000${key}`, 'command') : newCommandId();
}
