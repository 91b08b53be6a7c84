import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { domainErrorFromDatabase } from './db-errors';
import { DomainError, errorBody } from './errors';

/** "/lines/2/quantity" -> "lines[2].quantity" */
export function paramFromPath(path: string): string | null {
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return null;
  return parts.reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

export function toDomainError(err: FastifyError): DomainError {
  if (err instanceof DomainError) return err;
  const fromDatabase = domainErrorFromDatabase(err);
  if (fromDatabase) return fromDatabase;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const first = err.validation[0]!;
    const param = paramFromPath(first.instancePath);
    const where = param ? `${param}: ` : '';
    return new DomainError('invalid', 'parameter_invalid', `${where}${first.message}`, param);
  }
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError)
    return new DomainError('invalid', 'invalid_json', 'The request body is not valid JSON.');
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return new DomainError('invalid', 'invalid_json', 'The request body is empty.');
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new DomainError('invalid', 'unsupported_media_type', 'Send the body as application/json.');
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new DomainError('invalid', 'body_too_large', 'The request body is too large.');
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return new DomainError('invalid', 'parameter_too_long', 'A path parameter is too long.', 'path');
  if (err.code === 'FST_ERR_BAD_URL')
    return new DomainError('invalid', 'invalid_url', 'The URL is not valid (check its percent-encoding).', 'path');
  if (err.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH')
    return new DomainError('invalid', 'invalid_request', 'The Content-Length does not match the body.');
  if (err.statusCode === 429)
    return new DomainError('rate_limit', 'rate_limited', 'Too many requests; wait a moment and try again.');
  if (err.statusCode === 413) return new DomainError('invalid', 'body_too_large', 'The request body is too large.');
  if (err.statusCode === 415)
    return new DomainError('invalid', 'unsupported_media_type', 'This content type is not accepted here.');
  if (err.statusCode && err.statusCode < 500)
    return new DomainError('invalid', 'invalid_request', String(err.message).split('\n')[0]!.slice(0, 300));
  return new DomainError('internal', 'internal_error', 'Something went wrong on our side; nothing was changed.');
}

/** Errors fastify raises before routing (a bad URL, an over-long parameter), in the API's error shape. */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = errorBody(toDomainError(err));
  void reply.code(status).type('application/json').send(body);
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const domain = toDomainError(err);
    // The serializer for `err` (db-errors.ts) never prints a query's text or parameters.
    if (domain.kind === 'internal') req.log.error({ err }, 'request failed');
    const { status, body } = errorBody(domain);
    return reply.code(status).type('application/json').send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    const { status, body } = errorBody(
      new DomainError('not_found', 'route_not_found', `No route ${req.method} ${req.url.split('?')[0]}.`),
    );
    return reply.code(status).send(body);
  });
}
