import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { invalid } from './errors';

const distDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Serves the built web app at /, with index.html for client-side routes. */
/** fastify's default maxParamLength. */
const MAX_PARAM_LENGTH = 100;

export async function registerWeb(app: FastifyInstance): Promise<void> {
  if (!fs.existsSync(path.join(distDir, 'index.html'))) {
    app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/html')
        .send(
          '<h1>Arbor</h1><p>The web app is not built: run <code>npm run build:web</code>. The API is at <a href="/api/docs">/api/docs</a>.</p>',
        ),
    );
    return;
  }
  await app.register(fastifyStatic, { root: distDir, wildcard: false });
  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    if (req.url.startsWith('/api/')) {
      // The router matched this catch-all only because a parameter was over-long: say so, as without the web app.
      if (
        req.url
          .split('?')[0]!
          .split('/')
          .some((segment) => segment.length > MAX_PARAM_LENGTH)
      )
        throw invalid('parameter_too_long', 'A path parameter is too long.', 'path');
      return reply.callNotFound();
    }
    return reply.sendFile('index.html');
  });
}
