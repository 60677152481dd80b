import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MetricsService } from './metrics';
import { disputeIdOf, ensureCorrelationId, requestIdOf } from './request-context';

/**
 * Fastify hooks for every route: the correlation id (X-Correlation-Id in, or generated; always echoed), the
 * request id (X-Request-Id from the proxy, or generated; echoed),
 * and the latency histogram labelled with the route pattern (`/api/v1/disputes/:id`), never the raw URL.
 */
@Injectable()
export class HttpHooks implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || typeof fastify.addHook !== 'function') return; // an application context without HTTP (CLI)
    const histogram = this.metrics.httpDuration;
    fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      void reply.header('X-Correlation-Id', ensureCorrelationId(request.raw));
      void reply.header('X-Request-Id', requestIdOf(request.raw));
    });
    fastify.addHook('onSend', async (request: FastifyRequest & { actor?: { id: string } }, reply: FastifyReply) => {
      // The logger sees the raw request only: hand it the authenticated user's id (an employee id) and the
      // id of a dispute just created (from Location).
      const raw = request.raw as typeof request.raw & { actor?: { id: string }; createdDisputeId?: string };
      if (request.actor) raw.actor = { id: request.actor.id };
      const location = reply.getHeader('location');
      if (typeof location === 'string') raw.createdDisputeId = disputeIdOf({ url: location } as typeof request.raw);
    });
    fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
      const route = request.routeOptions?.url ?? 'unmatched';
      histogram.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });
  }
}
