import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SAFE_HEADER_ID as SAFE_ID } from '../common/http/input-rules';

type RawRequest = IncomingMessage & { id?: unknown };

/**
 * The correlation id of a request: the caller's `X-Correlation-Id` when it is a sane id, else a new UUID.
 * Written back into the request's headers, so the command handler puts the same id in the events'
 * metadata, the logs carry it and the response echoes it. Idempotent: every caller sees the same value.
 */
export function ensureCorrelationId(req: IncomingMessage): string {
  const given = req.headers['x-correlation-id'];
  if (typeof given === 'string' && SAFE_ID.test(given)) return given;
  const id = randomUUID();
  req.headers['x-correlation-id'] = id;
  return id;
}

/**
 * The request id: the proxy's `X-Request-Id` when sane, else a new UUID. Kept on the raw request, so
 * pino-http's genReqId and the Fastify hook that echoes it agree, whichever runs first.
 */
export function requestIdOf(req: IncomingMessage): string {
  const raw = req as RawRequest;
  if (typeof raw.id === 'string' && raw.id.length > 0) return raw.id;
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  raw.id = id;
  return id;
}

const DISPUTE_PATH = /^\/api\/v1\/disputes\/([^/?#]+)/;

/** The dispute a request is about, when known: from the path, or the one it created (set by the onSend hook). */
export function disputeIdOf(req: IncomingMessage): string | undefined {
  const fromPath = DISPUTE_PATH.exec(req.url ?? '')?.[1];
  if (fromPath) return decodeURIComponent(fromPath);
  return (req as IncomingMessage & { createdDisputeId?: string }).createdDisputeId;
}

/** The path without the query string (queries can hold customer ids: never logged). */
export const pathOf = (url: string | undefined) => (url ?? '').split('?')[0];
