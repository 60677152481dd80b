import { ErrorKind } from '../../shared/errors';

/** The HTTP status of each kind of refusal (shared/errors.ts): the one place the two vocabularies meet. */
export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  unprocessable: 422,
};
