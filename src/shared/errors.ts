/**
 * A refusal by the domain. `kind` tells the HTTP shell which status to answer:
 * invalid → 400, forbidden → 403, not_found → 404, conflict → 409 (the stage does not allow it).
 */
export type DomainErrorKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (message: string, details?: Record<string, unknown>) => new DomainError('invalid', message, details);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const conflict = (message: string) => new DomainError('conflict', message);
export const notFound = (message: string) => new DomainError('not_found', message);
