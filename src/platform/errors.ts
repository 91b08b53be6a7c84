/** What kind of refusal an error is; the one table below maps it to HTTP. */
export type ErrorKind =
  | 'invalid'
  | 'unprocessable'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'conflict'
  | 'idempotency_in_progress'
  | 'idempotency_mismatch'
  | 'rate_limit'
  | 'internal';

export const ERROR_STATUS: Record<ErrorKind, { status: number; type: string }> = {
  invalid: { status: 400, type: 'invalid_request' },
  unprocessable: { status: 422, type: 'invalid_request' },
  authentication: { status: 401, type: 'authentication' },
  permission: { status: 403, type: 'permission' },
  not_found: { status: 404, type: 'not_found' },
  conflict: { status: 409, type: 'conflict' },
  idempotency_in_progress: { status: 409, type: 'idempotency' },
  idempotency_mismatch: { status: 422, type: 'idempotency' },
  rate_limit: { status: 429, type: 'rate_limit' },
  internal: { status: 500, type: 'internal' },
};

/** A business refusal with a stable code, a sentence a finance clerk understands, and the offending field. */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    /** Fields added to the error object (e.g. the organizations to choose from at login). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Bad input in a field: 400. */
export const invalid = (code: string, message: string, param: string | null = null) =>
  new DomainError('invalid', code, message, param);
/** Well-formed, but refers to something unusable: 422. */
export const unprocessable = (code: string, message: string, param: string | null = null) =>
  new DomainError('unprocessable', code, message, param);
/** The object's state forbids the action: 409. */
export const conflict = (code: string, message: string, param: string | null = null) =>
  new DomainError('conflict', code, message, param);
export const notFound = (what: string, id: string) =>
  new DomainError('not_found', 'resource_missing', `No ${what} with id ${id}.`, 'id');
export const forbidden = (message: string) => new DomainError('permission', 'forbidden', message);

export interface ErrorBody {
  error: { type: string; code: string; message: string; param: string | null; [extra: string]: unknown };
}

export function errorBody(err: DomainError): { status: number; body: ErrorBody } {
  const { status, type } = ERROR_STATUS[err.kind];
  return { status, body: { error: { ...err.extra, type, code: err.code, message: err.message, param: err.param } } };
}
