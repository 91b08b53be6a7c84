import { DomainError } from './errors';

// Database errors reach the log and the client only through here: a query's text and parameters (password hashes,
// emails, names) and the server's "Key (email)=(...)" detail are never printed.

/** The PostgreSQL error behind a driver or drizzle error (drizzle wraps it as `cause`), if any. */
export function databaseErrorOf(err: unknown): { code: string; constraint?: string; table?: string } | null {
  let e: unknown = err;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      const { constraint, table } = e as { constraint?: unknown; table?: unknown };
      return {
        code,
        ...(typeof constraint === 'string' ? { constraint } : {}),
        ...(typeof table === 'string' ? { table } : {}),
      };
    }
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

export const isUniqueViolation = (err: unknown) => databaseErrorOf(err)?.code === '23505';
export const isForeignKeyViolation = (err: unknown) => databaseErrorOf(err)?.code === '23503';

/** A database refusal the client caused, as the API's error; null for one that is our fault (a 500). */
export function domainErrorFromDatabase(err: unknown): DomainError | null {
  const db = databaseErrorOf(err);
  if (!db) return null;
  switch (db.code) {
    case '23505':
      return new DomainError('conflict', 'already_exists', 'An object with these values already exists.');
    case '23503':
      return new DomainError(
        'conflict',
        'resource_in_use',
        'Other records refer to this object (or the object referred to is missing), so this cannot be done.',
      );
    case '22P05': // untranslatable character (NUL)
    case '22021': // invalid byte sequence
      return new DomainError('invalid', 'invalid_characters', 'Text must not contain NUL or invalid characters.');
    case '22003': // numeric value out of range
      return new DomainError('invalid', 'number_too_large', 'A number is too large.');
    case '40001': // serialization failure
    case '40P01': // deadlock
      return new DomainError('idempotency_in_progress', 'conflict_retry', 'A concurrent change got in the way; retry.');
    default:
      return null;
  }
}

const DROPPED = new Set(['query', 'params', 'parameters', 'detail', 'where', 'internalQuery', 'hint', 'position']);

/** pino's `err` serializer: type, a message without SQL or parameters, code and constraint; never the query. */
export function safeErrorSerializer(err: unknown): {
  type: string;
  message: string;
  stack: string;
  [k: string]: unknown;
} {
  if (!err || typeof err !== 'object') return { type: typeof err, message: String(err), stack: '' };
  const e = err as Error & Record<string, unknown>;
  const db = databaseErrorOf(e);
  const isQueryError = 'query' in e || 'params' in e || db !== null;
  const message = isQueryError ? databaseMessage(e, db) : firstLine(String(e.message ?? ''));
  const out: { type: string; message: string; stack: string; [k: string]: unknown } = {
    type: e.constructor?.name ?? 'Error',
    message,
    stack: '',
  };
  if (db) Object.assign(out, db);
  else
    for (const [k, v] of Object.entries(e))
      if (!DROPPED.has(k) && k !== 'cause' && (typeof v === 'string' || typeof v === 'number')) out[k] = v;
  // The stack's first line repeats the message (with the query, for drizzle's errors): keep only the frames.
  if (typeof e.stack === 'string')
    out.stack = e.stack
      .split('\n')
      .filter((l) => /^\s+at /.test(l))
      .join('\n');
  return out;
}

/** "database error 42703: column "x" does not exist"; data errors (classes 22 and 23) name no values, so say nothing more. */
function databaseMessage(e: Record<string, unknown>, db: { code: string } | null): string {
  if (!db) return 'database error';
  if (db.code.startsWith('22') || db.code.startsWith('23')) return `database error ${db.code}`;
  let source: unknown = e;
  while (source && typeof source === 'object' && 'query' in source) source = (source as { cause?: unknown }).cause;
  const text = source instanceof Error ? firstLine(source.message) : '';
  return `database error ${db.code}${text ? `: ${text}` : ''}`;
}

function firstLine(s: string): string {
  // PostgreSQL's messages name the constraint, not values; values only appear in `detail`, which is dropped.
  return (s.split('\n')[0] ?? '').slice(0, 300);
}
