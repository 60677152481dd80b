import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, UnprocessableEntityException } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, mergeMap, Observable, of } from 'rxjs';
import { canonicalJson } from '../shared/canonical-json';
import { idempotencyKeyOf } from '../common/http/input-rules';
import { Actor } from '../shared/actor';
import { IDEMPOTENCY_STORE, IdempotencyStore } from './idempotency-store';

const REPLAYED_HEADERS = ['etag', 'location', 'x-casetrail-position'];
export const FINGERPRINT_HEADER = 'x-casetrail-request-fingerprint';

/**
 * `Idempotency-Key` on writes: the same key with the same request returns the first response again;
 * the same key with another request is refused with 422. Only successes are remembered.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { actor?: Actor }>();
    const reply = http.getResponse<FastifyReply>();
    delete request.headers[FINGERPRINT_HEADER]; // only this interceptor may set it
    if (request.method !== 'POST' || !request.actor) return next.handle();
    const key = idempotencyKeyOf(request.headers); // 400 naming the header when it is not a safe key
    if (key === undefined) return next.handle();
    const scope = request.actor.id;
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`)
      .digest('hex');
    // Handed to the command (via the request) so a retry racing the first request is checked against it too.
    request.headers[FINGERPRINT_HEADER] = fingerprint;
    const statusCode = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? 201;

    // An unreachable store must not stop commands: the command id in the events still prevents a second effect.
    const find = this.store.find(scope, key).catch(() => null);
    return from(find).pipe(
      mergeMap((found) => {
        if (found) {
          if (found.fingerprint !== fingerprint) {
            throw new UnprocessableEntityException('this Idempotency-Key was already used with a different request');
          }
          void reply.status(found.statusCode);
          for (const [name, value] of Object.entries(found.headers)) void reply.header(name, value);
          void reply.header('Idempotent-Replayed', 'true');
          return of(found.body);
        }
        return next.handle().pipe(
          mergeMap(async (body) => {
            const headers: Record<string, string> = {};
            for (const name of REPLAYED_HEADERS) {
              const value = reply.getHeader(name);
              if (value !== undefined) headers[name] = String(value);
            }
            await this.store.save(scope, key, { fingerprint, statusCode, headers, body }).catch(() => undefined);
            return body;
          }),
        );
      }),
    );
  }
}
