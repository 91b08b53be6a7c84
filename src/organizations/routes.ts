import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SESSION_COOKIE } from '../platform/auth';
import type { Clock } from '../platform/clock';
import type { Db } from '../platform/db';
import { conflict, DomainError } from '../platform/errors';
import { Email, IdParam, ListQuery, listOf } from '../platform/schemas';
import {
  ApiKeyOut,
  apiKeyOut,
  OrganizationOut,
  organizationOut,
  Password,
  RoleSchema,
  SetupIn,
  SetupOut,
  UserOut,
  userOut,
} from './schemas';
import * as service from './service';
import { SettingsPatch, SettingsSchema } from './settings';

const tags = ['Organization'];

export function organizationRoutes(db: Db, clock: Clock, secureCookies: boolean) {
  return async (base: FastifyInstance) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    // At most 10 sign-in attempts a minute per account, from whatever addresses (besides the limit per address).
    const perAccount = app.createRateLimit({
      max: 10,
      timeWindow: '1 minute',
      keyGenerator: (req) => `login:${String((req.body as { email?: unknown })?.email ?? '').toLowerCase()}`,
    });
    const cookieOptions = { httpOnly: true, sameSite: 'strict' as const, secure: secureCookies, path: '/' };

    app.post(
      '/setup',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'First-run setup: only while no organization exists; signs the admin in (no API key is made)',
          body: SetupIn,
          response: { 201: SetupOut },
        },
      },
      async (req, reply) => {
        if (await service.organizationExists(db))
          throw conflict('organization_exists', 'Arbor is already set up; sign in instead.');
        const r = await service.setupOrganization(
          { db, clock },
          {
            orgName: req.body.org_name,
            currency: req.body.currency,
            email: req.body.email,
            password: req.body.password,
            timeZone: req.body.time_zone,
            add: false,
            apiKey: false,
          },
        );
        const session = await service.login({ db, clock }, req.body.email, req.body.password);
        reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions, expires: session.expiresAt });
        return reply.code(201).send({
          organization: organizationOut(r.organization),
          user: userOut(r.user),
          csrf_token: session.csrfToken,
        });
      },
    );

    app.get(
      '/setup',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'Whether first-run setup is still needed',
          response: { 200: z.object({ needed: z.boolean() }) },
        },
      },
      async () => ({ needed: !(await service.organizationExists(db)) }),
    );

    app.post(
      '/auth/login',
      {
        config: {
          access: 'public',
          // Per address (req.ip: the socket's, or the client's as a trusted proxy says, see ARBOR_TRUST_PROXY).
          rateLimit: { max: 100, timeWindow: '1 minute' },
        },
        // Per account, whatever the address: after parsing, so the key holds the email.
        preValidation: async (req) => {
          const limit = await perAccount(req);
          if (!limit.isAllowed && limit.isExceeded)
            throw new DomainError(
              'rate_limit',
              'rate_limited',
              'Too many sign-in attempts; wait a minute and try again.',
            );
        },
        schema: {
          tags,
          summary: 'Sign in: sets the session cookie',
          body: z.object({
            email: Email,
            password: z.string().min(1).max(1000),
            organization: z
              .string()
              .max(100)
              .optional()
              .meta({ description: 'The organization to sign in to, when the email belongs to several' }),
          }),
          response: { 200: z.object({ user: UserOut, csrf_token: z.string() }) },
        },
      },
      async (req, reply) => {
        const session = await service.login({ db, clock }, req.body.email, req.body.password, req.body.organization);
        reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions, expires: session.expiresAt });
        return { user: userOut(session.user), csrf_token: session.csrfToken };
      },
    );

    app.post(
      '/auth/logout',
      { config: { access: 'read' }, schema: { tags, summary: 'Sign out', response: { 204: z.null() } } },
      async (req, reply) => {
        if (req.session) await service.logout(db, req.session.tokenHash);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/auth/me',
      {
        config: { access: 'read' },
        schema: {
          tags,
          summary: 'Who is signed in',
          response: {
            200: z.object({
              user: UserOut.nullable(),
              role: RoleSchema,
              organization: OrganizationOut,
              actor: z.object({ type: z.string(), id: z.string().nullable() }),
            }),
          },
        },
      },
      async (req) => ({
        user: req.ctx.userId ? userOut(await service.getUser(req.ctx.db, req.ctx, req.ctx.userId)) : null,
        role: req.ctx.role,
        organization: organizationOut(await service.getOrganization(db, req.ctx.orgId)),
        actor: req.ctx.actor,
      }),
    );

    app.get(
      '/auth/csrf',
      {
        config: { access: 'read' },
        schema: {
          tags,
          summary: 'The CSRF token for state changes made with the session cookie',
          response: { 200: z.object({ csrf_token: z.string().nullable() }) },
        },
      },
      async (req) => ({ csrf_token: req.session?.csrfToken ?? null }),
    );

    app.get(
      '/users',
      {
        config: { access: 'admin' },
        schema: { tags, summary: 'List users', querystring: ListQuery, response: { 200: listOf(UserOut) } },
      },
      async (req) => {
        const page = await service.listUsers(req.ctx, req.query);
        return { ...page, data: page.data.map(userOut) };
      },
    );

    app.post(
      '/users',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          summary: 'Add a user',
          body: z.object({ email: Email, password: Password, name: z.string().max(200).nullish(), role: RoleSchema }),
          response: { 201: UserOut },
        },
      },
      async (req, reply) => reply.code(201).send(userOut(await service.createUser(req.ctx, req.body))),
    );

    app.patch(
      '/users/:id',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          summary: 'Change a user\u2019s role, deactivate them or set their password (their sessions end)',
          params: IdParam,
          body: z.object({
            role: RoleSchema.optional(),
            active: z.boolean().optional(),
            name: z.string().max(200).nullish(),
            password: Password.optional(),
          }),
          response: { 200: UserOut },
        },
      },
      async (req) => userOut(await service.updateUser(req.ctx, req.params.id, req.body)),
    );

    app.get(
      '/api_keys',
      {
        config: { access: 'admin' },
        schema: { tags, summary: 'List API keys', querystring: ListQuery, response: { 200: listOf(ApiKeyOut) } },
      },
      async (req) => {
        const page = await service.listApiKeys(req.ctx, req.query);
        return { ...page, data: page.data.map((k) => apiKeyOut(k)) };
      },
    );

    app.post(
      '/api_keys',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          summary: 'Create an API key (shown once)',
          body: z.object({ name: z.string().min(1).max(100), role: RoleSchema }),
          response: { 201: ApiKeyOut },
        },
      },
      async (req, reply) => {
        const key = await service.createApiKey(req.ctx, req.body.name, req.body.role);
        return reply.code(201).send(apiKeyOut(key.row, key.secret));
      },
    );

    app.delete(
      '/api_keys/:id',
      {
        config: { access: 'admin' },
        schema: { tags, summary: 'Revoke an API key', params: IdParam, response: { 204: z.null() } },
      },
      async (req, reply) => {
        await service.revokeApiKey(req.ctx, req.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/settings',
      {
        config: { access: 'read' },
        schema: { tags, summary: 'Organization settings', response: { 200: SettingsSchema } },
      },
      async (req) => service.getSettings(req.ctx.db, req.ctx),
    );

    app.patch(
      '/settings',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          summary: 'Change organization settings',
          body: SettingsPatch,
          response: { 200: SettingsSchema },
        },
      },
      async (req) => service.updateSettings(req.ctx, req.body),
    );

    app.register(async (raw) => {
      raw.addContentTypeParser(
        ['image/png', 'image/jpeg'],
        { parseAs: 'buffer', bodyLimit: service.LOGO_MAX_BYTES + 1024 },
        (_req, body, done) => done(null, body),
      );
      raw.withTypeProvider<ZodTypeProvider>().put(
        '/settings/logo',
        {
          config: { access: 'admin' },
          schema: { tags, summary: 'Upload the logo (PNG or JPEG, at most 512 KB)', response: { 204: z.null() } },
        },
        async (req, reply) => {
          await service.setLogo(req.ctx, req.headers['content-type'] ?? '', req.body as Buffer);
          return reply.code(204).send(null);
        },
      );
    });
  };
}
