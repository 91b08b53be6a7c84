import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Site } from '../platform/context';
import { CsvFormatQuery, listOrCsv } from '../platform/csv-list';
import { invalid } from '../platform/errors';
import { IdParam, listOf } from '../platform/schemas';
import {
  ConvertIn,
  DisqualifyIn,
  LeadIn,
  LeadListQuery,
  LeadOut,
  LeadPatch,
  LeadScoringIn,
  LeadScoringOut,
  PublicLeadIn,
} from './schemas';
import * as service from './service';

export async function leadRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const tags = ['Leads'];
  const one = async (req: { ctx: Parameters<typeof service.getLead>[1] }, id: string) =>
    service.getLead(req.ctx.db, req.ctx, id);

  app.post(
    '/leads',
    {
      config: { access: 'sales' },
      schema: { tags, summary: 'Create a lead', body: LeadIn, response: { 201: LeadOut } },
    },
    async (req, reply) => reply.code(201).send(await one(req, (await service.createLead(req.ctx, req.body)).id)),
  );
  app.get(
    '/leads',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'List leads',
        querystring: LeadListQuery.extend(CsvFormatQuery),
        response: { 200: listOf(LeadOut) },
      },
    },
    async (req, reply) =>
      listOrCsv(req, reply, LeadOut, 'leads', (q: typeof req.query) => service.listLeads(req.ctx, q)),
  );
  app.get(
    '/leads/:id',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'Get a lead', params: IdParam, response: { 200: LeadOut } },
    },
    async (req) => one(req, req.params.id),
  );
  app.patch(
    '/leads/:id',
    {
      config: { access: 'sales' },
      schema: { tags, summary: 'Change a lead', params: IdParam, body: LeadPatch, response: { 200: LeadOut } },
    },
    async (req) => one(req, (await service.updateLead(req.ctx, req.params.id, req.body)).id),
  );
  app.delete(
    '/leads/:id',
    {
      config: { access: 'sales' },
      schema: { tags, summary: 'Delete a lead (not once converted)', params: IdParam, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await service.deleteLead(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/leads/:id/disqualify',
    {
      config: { access: 'sales' },
      schema: { tags, summary: 'Disqualify a lead', params: IdParam, body: DisqualifyIn, response: { 200: LeadOut } },
    },
    async (req) => one(req, (await service.disqualifyLead(req.ctx, req.params.id, req.body.reason)).id),
  );
  app.post(
    '/leads/:id/convert',
    {
      config: { access: 'sales' },
      schema: {
        tags,
        summary: 'Convert to customer, contact and optionally an opportunity (once)',
        params: IdParam,
        body: ConvertIn,
        response: { 200: LeadOut },
      },
    },
    async (req) => one(req, (await service.convertLead(req.ctx, req.params.id, req.body)).id),
  );
  app.get(
    '/settings/lead_scoring',
    { config: { access: 'read' }, schema: { tags, summary: 'Lead scoring rules', response: { 200: LeadScoringOut } } },
    async (req) => service.getLeadScoring(req.ctx),
  );
  app.put(
    '/settings/lead_scoring',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Replace the lead scoring rules (open leads are scored again)',
        body: LeadScoringIn,
        response: { 200: LeadScoringOut },
      },
    },
    async (req) => service.putLeadScoring(req.ctx, req.body as never),
  );
  app.post(
    '/settings/lead_form_key/rotate',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Replace the lead form key',
        response: { 200: z.object({ lead_form_key: z.string() }) },
      },
    },
    async (req) => ({ lead_form_key: await service.rotateLeadFormKey(req.ctx) }),
  );
}

/**
 * POST /api/v1/public/leads/:form_key: the web form (JSON or a form post). No credentials; 10 a minute per client
 * address and key; a filled honeypot (`website_url`) is answered 202 and stores nothing; nothing is echoed.
 */
export function publicLeadRoutes(site: Site) {
  return async (base: FastifyInstance) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    app.post(
      '/public/leads/:form_key',
      {
        config: {
          access: 'public',
          rateLimit: {
            max: 10,
            timeWindow: '1 minute',
            keyGenerator: (req: { ip: string; params: unknown }) =>
              `${req.ip}:${(req.params as { form_key?: string }).form_key ?? ''}`,
          },
        },
        schema: {
          tags: ['Leads'],
          summary: 'Public lead form (no auth; rate limited; honeypot website_url)',
          params: z.object({ form_key: z.string().min(1).max(100) }),
          response: { 202: z.object({ received: z.literal(true) }), 303: z.null() },
        },
      },
      async (req, reply) => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        if (typeof body.website_url === 'string' && body.website_url.trim() !== '')
          return reply.code(202).send({ received: true });
        // Only the form's fields; empty strings of a form post are absent values.
        const known = Object.fromEntries(
          Object.keys(PublicLeadIn.shape)
            .filter((k) => k !== 'website_url' && body[k] !== undefined && body[k] !== '')
            .map((k) => [k, body[k]]),
        );
        const parsed = PublicLeadIn.omit({ website_url: true }).safeParse(known);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          const param = issue.path.join('.');
          throw invalid('parameter_invalid', `${param}: ${issue.message}`, param || null);
        }
        const { redirect } = await service.submitLeadForm(site, req.params.form_key, parsed.data);
        const isFormPost = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
        if (redirect && isFormPost) return reply.code(303).header('location', redirect).send(null);
        return reply.code(202).send({ received: true });
      },
    );
  };
}
