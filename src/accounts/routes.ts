import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Password } from '../organizations/schemas';
import type { AppDeps } from '../platform/http';
import { Email } from '../platform/schemas';
import * as service from './service';

const tags = ['Organization'];

export function accountRoutes(deps: AppDeps) {
  const site = { db: deps.database.db, clock: deps.clock };
  const mail = { smtpConfigured: deps.config.smtpUrl !== null, publicUrl: deps.config.publicUrl };
  return async (base: FastifyInstance) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.post(
      '/auth/password_reset',
      {
        config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: 'Mails a single-use link valid one hour when the user exists (always 202)',
          body: z.object({ email: Email }),
          response: { 202: z.object({ ok: z.literal(true) }) },
        },
      },
      async (req, reply) => {
        await service.requestPasswordReset(site, mail, req.body.email);
        return reply.code(202).send({ ok: true });
      },
    );
    app.post(
      '/auth/password_reset/confirm',
      {
        config: { access: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: 'Sets a new password with the emailed token (then used up); the user’s sessions end',
          body: z.object({ token: z.string().min(1).max(200), password: Password }),
          response: { 200: z.object({ ok: z.literal(true) }) },
        },
      },
      async (req) => {
        await service.confirmPasswordReset(site, req.body.token, req.body.password);
        return { ok: true as const };
      },
    );
  };
}
