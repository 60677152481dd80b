/**
 * Errors that say what went wrong in words every layer understands. `kind` is HTTP-agnostic; the HTTP shell
 * (common/http/problem.filter.ts) maps it to a status: invalid → 400, forbidden → 403, not_found → 404,
 * conflict → 409 (the stage does not allow it, or the stream kept changing), precondition_failed → 412,
 * unprocessable → 422.
 */
export type ErrorKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'precondition_failed' | 'unprocessable';

/** The base of every kinded error; throw one of its subclasses. */
export abstract class KindedError extends Error {
  abstract readonly kind: ErrorKind;
  readonly details?: Record<string, unknown>;
}

/** The kinds a decider may refuse with. */
export type DomainErrorKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict';

/** A refusal by the domain. */
export class DomainError extends KindedError {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    override readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (message: string, details?: Record<string, unknown>) => new DomainError('invalid', message, details);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const conflict = (message: string) => new DomainError('conflict', message);
export const notFound = (message: string) => new DomainError('not_found', message);

/** A request that cannot be read as asked (e.g. a list cursor this service never issued). */
export class InvalidRequestError extends KindedError {
  readonly kind = 'invalid' as const;
}
