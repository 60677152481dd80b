import { DisputeCommandType, RequestOf } from '../domain/dispute.commands';
import { Actor } from '../../shared/actor';
import { DisputeState } from '../domain/dispute.state';

/**
 * What a caller asks: a command type and its payload as validated at the edge (RequestOf<type>: the route's
 * DTO, the scheduler's, the seed's). Context (actor, time) and looked-up facts (earlier disputes, the
 * customer's history, generated ids, the payout) are added by the handler, per command (command-facts.table.ts).
 * Typed callers build it with `ExecuteDisputeCommand.of`; the bus message itself stays plain data.
 */
export interface DisputeCommandRequest {
  type: DisputeCommandType;
  data: object;
}

export interface CommandOptions {
  /** From If-Match: refuse with 412 unless the dispute is at this version. */
  expectedVersion?: number;
  /** Stable per (caller, Idempotency-Key); random otherwise. Written into every event's metadata. */
  commandId: string;
  correlationId: string;
  causationId: string | null;
  /** With an Idempotency-Key: the request's fingerprint, kept in the events to tell a retry from a reuse. */
  requestFingerprint?: string;
  /**
   * The dispute id was generated for this request (a random UUID): its stream cannot exist yet, so the first
   * attempt skips reading it. The append still expects no stream; a clash would be retried on a real read.
   */
  newStream?: boolean;
}

/** The CQRS command the HTTP shell dispatches for every dispute write. */
export class ExecuteDisputeCommand {
  constructor(
    readonly disputeId: string,
    readonly request: DisputeCommandRequest,
    readonly actor: Actor,
    readonly options: CommandOptions,
  ) {}

  /** The command with its request checked against the command type at compile time. */
  static of<T extends DisputeCommandType>(
    disputeId: string,
    type: T,
    data: RequestOf<T>,
    actor: Actor,
    options: CommandOptions,
  ): ExecuteDisputeCommand {
    return new ExecuteDisputeCommand(disputeId, { type, data: { ...data } }, actor, options);
  }
}

export interface DisputeCommandResult {
  state: DisputeState;
  /** Global log position reached by the append (for read-your-writes). */
  position: number;
  /** True when this command had already been applied (an idempotent retry), so nothing was written now. */
  replayed: boolean;
}
