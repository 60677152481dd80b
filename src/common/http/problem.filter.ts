import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { KindedError } from '../../shared/errors';
import { EventStoreUnwritableError, isStorageFault, UNWRITABLE_RETRY_AFTER_SECONDS } from '../../event-store/write-health';
import { STATUS_OF_KIND } from './error-status';

/** Every error as API.md's body `{ statusCode, error, message, details? }`; never a stack trace. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { statusCode, message, details, retryAfter } = this.describe(exception);
    if (statusCode >= 500) this.logger.error((exception as Error)?.stack ?? String(exception));
    const body: Record<string, unknown> = { statusCode, error: reasonPhrase(statusCode), message };
    if (details !== undefined) body.details = details;
    if (retryAfter !== undefined) void reply.header('Retry-After', String(retryAfter));
    void reply.status(statusCode).header('Content-Type', 'application/json; charset=utf-8').send(body);
  }

  private describe(exception: unknown): { statusCode: number; message: string; details?: unknown; retryAfter?: number } {
    // Domain refusals, If-Match mismatches, lost races, reused idempotency keys, unreadable cursors.
    if (exception instanceof KindedError) {
      const statusCode = STATUS_OF_KIND[exception.kind];
      return { statusCode, message: exception.message, details: oneShape(statusCode, exception.message, exception.details) };
    }
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      if (typeof response === 'string') return { statusCode: exception.getStatus(), message: response };
      const r = response as { message?: unknown; details?: unknown };
      const message = Array.isArray(r.message) ? r.message.join('; ') : String(r.message ?? exception.message);
      return { statusCode: exception.getStatus(), message, details: r.details };
    }
    // A full or read-only disk: nothing was written, and writes resume by themselves when space returns.
    if (exception instanceof EventStoreUnwritableError) {
      return {
        statusCode: 503,
        message: exception.message,
        details: { store: 'eventStore', writable: false },
        retryAfter: UNWRITABLE_RETRY_AFTER_SECONDS,
      };
    }
    if (isStorageFault(exception)) {
      return {
        statusCode: 503,
        message: 'storage is not writable right now (disk full or read-only); retry later',
        retryAfter: UNWRITABLE_RETRY_AFTER_SECONDS,
      };
    }
    if (isStoreUnavailable(exception)) {
      return { statusCode: 503, message: 'a store is unavailable right now; retry shortly' };
    }
    // Errors raised by Fastify itself before a route runs (bad JSON, body too large, bad content type).
    const fastifyStatus = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      const code = (exception as { code?: string }).code;
      const message = code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'request body is larger than 1 MB' : (exception as Error).message;
      return { statusCode: fastifyStatus, message };
    }
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, message: 'internal error' };
  }
}

/** A 400 naming its field as `{ field }` is given the one shape of a 400's details: `[{ field, problems }]`. */
function oneShape(statusCode: number, message: string, details: Record<string, unknown> | undefined): unknown {
  if (statusCode !== 400 || typeof details?.field !== 'string' || Object.keys(details).length !== 1) return details;
  return [{ field: details.field, problems: [message] }];
}

/** Connection-level failures of PostgreSQL (refused, reset, shut down, admin shutdown, cannot connect now). */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);
function isStoreUnavailable(exception: unknown): boolean {
  const code = (exception as { code?: unknown })?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  return /Connection terminated|connect ECONNREFUSED/.test((exception as Error)?.message ?? '');
}

function reasonPhrase(status: number): string {
  const phrases: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    412: 'Precondition Failed',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Entity',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return phrases[status] ?? 'Error';
}
