import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Actor } from '../shared/actor';
import { MetricsService } from './metrics';

/**
 * Open Server-Sent-Events streams per user on this instance (SSE_MAX_STREAMS_PER_USER; 0 = no cap): every
 * stream holds a connection and a subscription for as long as the client stays, so one user cannot hold
 * an unbounded number of them.
 */
@Injectable()
export class SseStreams {
  readonly maxPerUser: number;
  private readonly open = new Map<string, number>();

  constructor(@Inject(APP_CONFIG) config: AppConfig, metrics: MetricsService) {
    this.maxPerUser = config.ops.sseMaxStreamsPerUser;
    const open = this.open;
    metrics.gauge({
      name: 'casetrail_sse_streams_open',
      help: 'Server-Sent-Events streams open on this instance',
      collect() {
        let total = 0;
        for (const count of open.values()) total += count;
        this.set(total);
      },
    });
  }

  /** A slot for one more stream of `user`, and the function that gives it back (once); `undefined` when the user holds the maximum. */
  acquire(user: string): (() => void) | undefined {
    const count = this.open.get(user) ?? 0;
    if (this.maxPerUser > 0 && count >= this.maxPerUser) return undefined;
    this.open.set(user, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(user) ?? 1) - 1;
      if (left > 0) this.open.set(user, left);
      else this.open.delete(user);
    };
  }

  openFor(user: string): number {
    return this.open.get(user) ?? 0;
  }
}

/**
 * `@UseGuards(SseStreamLimit)` on an `@Sse()` route: 429 when the authenticated user already holds
 * SSE_MAX_STREAMS_PER_USER open streams; otherwise takes a slot, given back when the response closes
 * (the client went away, the stream ended, or the request failed after this guard).
 * A guard rather than an interceptor: it answers before the stream's headers can be committed.
 */
@Injectable()
export class SseStreamLimit implements CanActivate {
  constructor(private readonly streams: SseStreams) {}

  canActivate(context: ExecutionContext): boolean {
    const user = context.switchToHttp().getRequest<{ actor?: Actor }>().actor?.id;
    if (user === undefined) return true; // not authenticated: nothing to count (the JWT guard refused already on protected routes)
    const release = this.streams.acquire(user);
    if (!release) {
      throw new HttpException(
        `at most ${this.streams.maxPerUser} event streams may be open per user (SSE_MAX_STREAMS_PER_USER); close one to open another`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const response = context.switchToHttp().getResponse<FastifyReply>().raw;
    response.once('close', release);
    if (response.destroyed || response.writableFinished) release();
    return true;
  }
}
