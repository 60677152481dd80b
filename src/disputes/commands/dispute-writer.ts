import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { CLOCK, Clock } from '../../shared/clock';
import { Actor } from '../../shared/actor';
import { FINGERPRINT_HEADER } from '../../idempotency/idempotency.interceptor';
import { SlaPolicyRegistry } from '../../sla/application/sla-policy.registry';
import { ACTIONS, DisputeCommandType, RequestOf } from '../domain/dispute.commands';
import { DisputeState } from '../domain/dispute.state';
import { toDisputeView } from '../application/dispute-view';
import { EvidencePolicyRegistry } from '../application/policies/evidence-policy';
import { DisputeCommandResult, ExecuteDisputeCommand } from '../application/execute-dispute-command';
import { causationIdOf, commandIdFor, correlationIdOf, parseIfMatch } from '../../common/http/http-conventions';

export type RequestHeaders = Record<string, string | undefined>;

/** The roles a command's route allows (API.md): the same table the decider checks. */
export const rolesOf = (type: DisputeCommandType) => ACTIONS[type].roles;

/**
 * What every write route does after validating its body: dispatch the typed request through the command bus
 * with the request's headers (Idempotency-Key, If-Match, correlation), answer with ETag and position, and show
 * the dispute as the caller sees it.
 */
@Injectable()
export class DisputeWriter {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly policies: SlaPolicyRegistry,
    private readonly evidencePolicy: EvidencePolicyRegistry,
  ) {}

  async dispatch<T extends DisputeCommandType>(
    type: T,
    disputeId: string,
    data: RequestOf<T>,
    actor: Actor,
    headers: RequestHeaders,
    reply: FastifyReply,
    commandId = commandIdFor(actor, headers),
    newStream = false,
  ) {
    const correlationId = correlationIdOf(headers, commandId);
    const result = await this.commands.execute<ExecuteDisputeCommand, DisputeCommandResult>(
      ExecuteDisputeCommand.of(disputeId, type, data, actor, {
        expectedVersion: parseIfMatch(headers['if-match']),
        commandId,
        correlationId,
        causationId: causationIdOf(headers),
        requestFingerprint: headers[FINGERPRINT_HEADER],
        newStream,
      }),
    );
    reply.header('ETag', `"${result.state.version}"`);
    reply.header('X-Casetrail-Position', String(result.position));
    return this.view(result.state, actor, this.clock.now());
  }

  /** The dispute as the caller sees it, under the SLA policy version it was filed with. */
  async view(state: DisputeState, actor: Actor, now: Date) {
    const evidence = await this.evidencePolicy.recent();
    return toDisputeView(state, actor, now, await this.policies.version(state.slaPolicyVersion ?? 1), evidence);
  }
}
