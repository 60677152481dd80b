import { DisputeCommand } from '../domain/dispute.commands';
import { Actor } from '../../shared/actor';
import { DisputeState } from '../domain/dispute.state';

/**
 * What a caller asks: a command type and its validated payload. Context (actor, time) and looked-up facts
 * (earlier disputes, the customer's history, generated ids, the payout) are added by the handler.
 */
export interface DisputeCommandRequest {
  type: DisputeCommand['type'];
  data: Record<string, unknown>;
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
}

export interface DisputeCommandResult {
  state: DisputeState;
  /** Global log position reached by the append (for read-your-writes). */
  position: number;
  /** True when this command had already been applied (an idempotent retry), so nothing was written now. */
  replayed: boolean;
}
