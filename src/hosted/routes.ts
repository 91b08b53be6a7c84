import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sessionPrincipal } from '../platform/auth';
import type { Site } from '../platform/context';
import { hostedLogo, hostedPage, hostedPdf, hostedUbl, recordPublicAccess } from './service';

const TokenParam = z.object({ token: z.string().max(100) });
const publicPage = { access: 'public' as const, rateLimit: { max: 120, timeWindow: '1 minute' } };

/** Hosted invoice pages at /i/:token (no auth). Views by the organization's own signed-in users are not counted. */
export function hostedRoutes(site: Site) {
  const { db } = site;
  return async (app: FastifyInstance) => {
    const isOwnUser = async (req: FastifyRequest, orgId: string) =>
      (await sessionPrincipal(db, site.clock, req))?.orgId === orgId;

    app.get('/i/:token', { config: publicPage, schema: { hide: true, params: TokenParam } }, async (req, reply) => {
      const { token } = req.params as z.infer<typeof TokenParam>;
      // Back from Stripe Checkout: the page says what our own records say, never what the query string claims.
      const returned = (req.query as { checkout?: string }).checkout === 'done';
      const { html, invoice } = await hostedPage(site, token, { returned });
      if (!(await isOwnUser(req, invoice.orgId))) await recordPublicAccess(site, invoice, 'viewed', 'page');
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-robots-tag', 'noindex')
        .send(html);
    });

    app.get('/i/:token/pdf', { config: publicPage, schema: { hide: true, params: TokenParam } }, async (req, reply) => {
      const { token } = req.params as z.infer<typeof TokenParam>;
      const { pdf, invoice } = await hostedPdf(site, token);
      if (!(await isOwnUser(req, invoice.orgId))) await recordPublicAccess(site, invoice, 'downloaded', 'pdf');
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${invoice.number}.pdf"`)
        .send(pdf);
    });

    app.get('/i/:token/ubl', { config: publicPage, schema: { hide: true, params: TokenParam } }, async (req, reply) => {
      const { token } = req.params as z.infer<typeof TokenParam>;
      const { xml, filename, invoice } = await hostedUbl(site, token);
      if (!(await isOwnUser(req, invoice.orgId))) await recordPublicAccess(site, invoice, 'downloaded', 'ubl');
      return reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(xml);
    });

    app.get(
      '/i/:token/logo',
      { config: publicPage, schema: { hide: true, params: TokenParam } },
      async (req, reply) => {
        const logo = await hostedLogo(db, (req.params as z.infer<typeof TokenParam>).token);
        if (!logo) return reply.callNotFound();
        return reply.type(logo.type).header('cache-control', 'public, max-age=3600').send(logo.logo);
      },
    );
  };
}
