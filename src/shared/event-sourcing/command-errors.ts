import { KindedError } from '../errors';

/** If-Match named a version the stream is no longer (or not yet) at. */
export class PreconditionFailedError extends KindedError {
  readonly kind = 'precondition_failed' as const;
  override readonly details: { currentVersion: number };

  constructor(
    readonly expectedVersion: number,
    readonly actualVersion: number,
    /** What the version is of (a policy's If-Match names the policy version). */
    subject = "the dispute's version",
  ) {
    super(`If-Match version ${expectedVersion} does not match ${subject} ${actualVersion}`);
    this.details = { currentVersion: actualVersion };
  }
}

/** The stream kept changing under every retry. */
export class ConcurrencyExhaustedError extends KindedError {
  readonly kind = 'conflict' as const;
}

/** An idempotency key (command id) replayed with a different request. */
export class IdempotencyKeyReusedError extends KindedError {
  readonly kind = 'unprocessable' as const;

  constructor() {
    super('this Idempotency-Key was already used with a different request');
  }
}
