import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { OpsConfig } from '../config/ops-config';
import { disputeIdOf, ensureCorrelationId, pathOf, requestIdOf } from './request-context';

/**
 * Structured JSON logs (pino through nestjs-pino): one line per request with the request id, the
 * correlation id and the dispute id when known; Nest's own logs carry the same request bindings.
 * No personal data: request bodies, query strings and headers are never logged (authorization and
 * cookies are redacted even if a serializer changes), so descriptions and customer ids stay out.
 */
export function loggingParams(ops: OpsConfig, level: string = ops.logLevel): Params {
  return {
    // Silent: no request logger at all (a per-request child logger and its async context cost ~8% of a
    // validated POST's CPU, for lines nobody writes).
    ...(level === 'silent' ? { forRoutes: [] } : {}),
    pinoHttp: {
      level,
      base: { service: 'casetrail' },
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      messageKey: 'msg',
      genReqId: (req: IncomingMessage) => requestIdOf(req),
      customProps: (req: IncomingMessage) => {
        const props: Record<string, string> = { correlationId: ensureCorrelationId(req) };
        const disputeId = disputeIdOf(req);
        if (disputeId) props.disputeId = disputeId;
        const actor = (req as IncomingMessage & { actor?: { id: string } }).actor;
        if (actor) props.actorId = actor.id;
        return props;
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: pathOf(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.body', 'req.query', 'body'], censor: '[redacted]' },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
      // Health probes and scrapes would drown the rest.
      autoLogging: { ignore: (req: IncomingMessage) => ['/health', '/metrics'].includes(pathOf(req.url)) },
    },
  };
}
