import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const ACCEPTED_BODY_TYPE = 'application/json';

/** `application/json`, with or without parameters (`; charset=utf-8`). */
export function isJsonContentType(header: string): boolean {
  return header.split(';')[0].trim().toLowerCase() === ACCEPTED_BODY_TYPE;
}

const isMultipart = (header: string) => header.split(';')[0].trim().toLowerCase() === 'multipart/form-data';

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The API speaks JSON (API.md): a write whose body is anything else (form-encoded, text/plain, multipart, …)
 * is refused with 415 naming the accepted type, before the body is read, so nothing is parsed or written.
 * A write without a body and without a content type (e.g. an empty POST) goes on as before.
 * A preParsing hook: it runs after every onRequest hook, so the answer still carries the correlation id.
 */
export function acceptJsonBodiesOnly(fastify: FastifyInstance, options: { multipartRoutes?: readonly RegExp[] } = {}): void {
  const multipartRoutes = options.multipartRoutes ?? [];
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    if (!WRITES.has(request.method)) return payload;
    const type = request.headers['content-type'];
    // The few upload routes (evidence files, issue 15) take multipart/form-data instead.
    if (type !== undefined && isMultipart(type) && multipartRoutes.some((route) => route.test(request.url.split('?')[0]))) return payload;
    if (type === undefined ? !hasBody(request) : isJsonContentType(type)) return payload;
    const given = type === undefined ? 'a body without Content-Type' : `Content-Type ${JSON.stringify(type.slice(0, 100))}`;
    throw new UnsupportedMediaTypeException({
      message: `${given} is not accepted: send ${ACCEPTED_BODY_TYPE}`,
      details: { accepted: [ACCEPTED_BODY_TYPE] },
    });
  });
}
