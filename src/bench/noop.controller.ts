import { Body, Controller, HttpCode, Post, Type } from '@nestjs/common';
import { Roles } from '../common/http/access';
import { ACTIONS } from '../disputes/domain/dispute.commands';
import { FileDisputeDto } from '../disputes/commands/file-dispute/file-dispute.dto';

/**
 * Benchmark baseline only (bench/run.js, issue #7): the same pipeline as `POST /api/v1/disputes` (JWT
 * guard with the same roles, the global validation pipe on FileDisputeDto, the idempotency interceptor,
 * the error filter) but it stores nothing. The durable route's cost above this is the cost of the command.
 * Never registered unless BENCH_NOOP_ROUTE=1.
 */
@Controller('api/v1/bench')
export class BenchNoopController {
  @Post('noop')
  @HttpCode(200)
  @Roles(...ACTIONS.FileDispute.roles)
  noop(@Body() body: FileDisputeDto): { ok: true; customerId: string } {
    return { ok: true, customerId: body.customerId };
  }
}

/** `controllers: [HealthController, ...benchControllers()]` in app.module.ts: empty unless BENCH_NOOP_ROUTE=1. */
export function benchControllers(env: NodeJS.ProcessEnv = process.env): Type[] {
  return env.BENCH_NOOP_ROUTE === '1' ? [BenchNoopController] : [];
}
