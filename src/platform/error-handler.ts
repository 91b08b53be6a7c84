import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, errorBody } from './errors';

/** "/lines/2/quantity" -> "lines[2].quantity" */
export function paramFromPath(path: string): string | null {
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return null;
  return parts.reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

function toDomainError(err: FastifyError): DomainError {
  if (err instanceof DomainError) return err;
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
  if (err.statusCode === 429)
    return new DomainError('rate_limit', 'rate_limited', 'Too many requests; wait a moment and try again.');
  if (err.statusCode && err.statusCode < 500) return new DomainError('invalid', 'invalid_request', err.message);
  return new DomainError('internal', 'internal_error', 'Something went wrong on our side; nothing was changed.');
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const domain = toDomainError(err);
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
