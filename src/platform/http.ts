import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler } from 'fastify-type-provider-zod';
import { apiRoutes } from '../api-routes';
import { hostedRoutes } from '../hosted/routes';
import { onlinePaymentPublicRoutes } from '../online-payments/routes';
import { quotePageRoutes } from '../quotes/routes';
import { registerAuth } from './auth';
import type { Clock } from './clock';
import type { Config } from './config';
import type { Database } from './db';
import { safeErrorSerializer } from './db-errors';
import { frameworkErrors, registerErrorHandler } from './error-handler';
import { registerIdempotency } from './idempotency';
import { registerInputGate } from './input';
import type { Jobs } from './jobs';
import { strictValidatorCompiler } from './strict-body';
import { registerWeb } from './web';
import { registerRequestTracking } from './yield';

export interface AppDeps {
  database: Database;
  config: Config;
  jobs: Jobs;
  clock: Clock;
  logger?: boolean | object;
}

const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

/** The Arbor HTTP server: API at /api/v1, hosted pages, the web UI. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // Whatever logger a caller passes, errors are written by the serializer that never prints a query.
  const serializers = { err: safeErrorSerializer, error: safeErrorSerializer };
  const logger =
    deps.logger === undefined
      ? { level: deps.config.logLevel, redact: REDACT, serializers }
      : typeof deps.logger === 'object'
        ? { redact: REDACT, ...deps.logger, serializers }
        : deps.logger;
  const app = Fastify({
    logger,
    bodyLimit: 1024 * 1024,
    // Client addresses (rate limits) come from X-Forwarded-For only behind a proxy the operator names.
    // (fastify takes a hop count too; its types do not say so)
    trustProxy: (deps.config.trustProxy ?? false) as boolean | string[],
    frameworkErrors: frameworkErrors as FastifyServerOptions['frameworkErrors'],
  });
  app.setValidatorCompiler(strictValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerInputGate(app);
  if (deps.database.kind === 'embedded') registerRequestTracking(app);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Arbor API', version: '1.0.0', description: 'Sales invoicing and receivables. Contract: API.md.' },
      servers: [{ url: deps.config.publicUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API key' },
          session: { type: 'apiKey', in: 'cookie', name: 'arbor_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  const db = deps.database.db;
  app.decorate('readReplica', deps.database.replica);
  registerAuth(app, db, deps.clock, deps.config.publicUrl);
  registerIdempotency(app, db);

  app.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  await app.register(apiRoutes(deps), { prefix: '/api/v1' });
  const site = { db, clock: deps.clock, publicUrl: deps.config.publicUrl };
  await app.register(hostedRoutes(site));
  await app.register(quotePageRoutes(site));
  await app.register(onlinePaymentPublicRoutes(site, { apiBase: deps.config.stripeApiBase ?? null }));
  await registerWeb(app);
  return app;
}
