import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EmailOut } from '../email/schemas';
import { EventOut, eventOut } from '../events/schemas';
import { listEvents } from '../events/service';
import type { Site } from '../platform/context';
import { DomainError } from '../platform/errors';
import type { AppDeps } from '../platform/http';
import { IdParam, ListQuery, listOf } from '../platform/schemas';
import { hostedQuotePage } from './page';
import { QuoteIn, QuoteListQuery, QuoteOut, QuotePatch, quoteOut, SendQuoteIn } from './schemas';
import * as service from './service';

const tags = ['Quotes'];

export function quoteRoutes(deps: Pick<AppDeps, 'database' | 'config' | 'jobs'>) {
  const opts = {
    smtpConfigured: deps.config.smtpUrl !== null,
    jobs: deps.jobs,
  };
  return async (base: FastifyInstance) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const out = (req: { ctx: { today: string; publicUrl: string } }, row: Parameters<typeof quoteOut>[0]) =>
      quoteOut(row, req.ctx.today, req.ctx.publicUrl);

    app.post(
      '/quotes',
      {
        config: { access: 'sales' },
        schema: { tags, summary: 'Create a draft quote', body: QuoteIn, response: { 201: QuoteOut } },
      },
      async (req, reply) => reply.code(201).send(out(req, await service.createQuote(req.ctx, req.body))),
    );
    app.get(
      '/quotes',
      {
        config: { access: 'read' },
        schema: { tags, summary: 'List quotes', querystring: QuoteListQuery, response: { 200: listOf(QuoteOut) } },
      },
      async (req) => {
        const page = await service.listQuotes(req.ctx, req.query);
        return { data: page.data.map((q) => out(req, q)), has_more: page.has_more };
      },
    );
    app.get(
      '/quotes/:id',
      {
        config: { access: 'read' },
        schema: { tags, summary: 'Get a quote', params: IdParam, response: { 200: QuoteOut } },
      },
      async (req) => out(req, await service.getQuote(req.ctx.db, req.ctx, req.params.id)),
    );
    app.patch(
      '/quotes/:id',
      {
        config: { access: 'sales' },
        schema: {
          tags,
          summary: 'Change a draft quote',
          params: IdParam,
          body: QuotePatch,
          response: { 200: QuoteOut },
        },
      },
      async (req) => out(req, await service.updateQuote(req.ctx, req.params.id, req.body)),
    );
    app.post(
      '/quotes/:id/send',
      {
        config: { access: 'sales' },
        schema: {
          tags,
          summary: 'Email the quote (PDF attached) with the link to its page, where the customer accepts or declines',
          params: IdParam,
          body: SendQuoteIn,
          response: {
            200: z.object({
              quote: QuoteOut,
              email: z.object({ id: z.string(), to: z.array(z.string()), status: EmailOut.shape.status }),
            }),
          },
        },
      },
      async (req) => {
        const { quote, email } = await service.sendQuote(
          { ...req.ctx, smtpConfigured: opts.smtpConfigured },
          req.params.id,
          req.body,
        );
        return {
          quote: out(req, quote),
          email: { id: email.id, to: email.to as string[], status: email.status as 'queued' },
        };
      },
    );
    app.post(
      '/quotes/:id/accept',
      {
        config: { access: 'sales' },
        schema: {
          tags,
          summary: 'Accept for the customer: makes the order (and subscriptions of recurring lines), once',
          params: IdParam,
          response: { 200: QuoteOut },
        },
      },
      async (req) => out(req, (await service.acceptQuote(req.ctx, req.params.id)).quote),
    );
    app.post(
      '/quotes/:id/decline',
      {
        config: { access: 'sales' },
        schema: { tags, summary: 'Record that the customer declined', params: IdParam, response: { 200: QuoteOut } },
      },
      async (req) => out(req, await service.declineQuote(req.ctx, req.params.id)),
    );
    app.get(
      '/quotes/:id/pdf',
      {
        config: { access: 'read' },
        schema: { tags, summary: 'The quote as a PDF', params: IdParam, response: { 200: z.any() } },
      },
      async (req, reply) => {
        const quote = await service.getQuote(req.ctx.db, req.ctx, req.params.id);
        const pdf = await service.quotePdf(req.ctx, req.ctx.orgId, quote.id);
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="${quote.number}.pdf"`)
          .send(pdf);
      },
    );
    app.get(
      '/quotes/:id/events',
      {
        config: { access: 'read' },
        schema: {
          tags,
          summary: 'The quote’s timeline',
          params: IdParam,
          querystring: ListQuery,
          response: { 200: listOf(EventOut) },
        },
      },
      async (req) => {
        await service.getQuote(req.ctx.db, req.ctx, req.params.id);
        const page = await listEvents(req.ctx, { ...req.query, object: req.params.id });
        return { ...page, data: page.data.map(eventOut) };
      },
    );
  };
}

const TokenParam = z.object({ token: z.string().max(100) });
const publicPage = { access: 'public' as const, rateLimit: { max: 60, timeWindow: '1 minute' } };
const NOTICE: Record<string, string> = {
  accepted: 'Thank you: the quote is accepted and your order is placed.',
  declined: 'The quote is declined. Thank you for letting us know.',
};

/** The hosted quote page at /q/:token (no auth), mounted at the site root beside the hosted invoice pages. */
export function quotePageRoutes(site: Site) {
  return async (app: FastifyInstance) => {
    // The page's buttons are plain HTML forms; their body carries nothing we read.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );
    const page = async (token: string, notice: string | null) => {
      const view = await service.hostedQuote(site, token);
      return hostedQuotePage({ ...view, token, notice });
    };
    const html = { 'cache-control': 'no-store', 'x-robots-tag': 'noindex' };

    app.get('/q/:token', { config: publicPage, schema: { hide: true, params: TokenParam } }, async (req, reply) => {
      const { token } = req.params as z.infer<typeof TokenParam>;
      const done = (req.query as { done?: string }).done;
      return reply
        .type('text/html; charset=utf-8')
        .headers(html)
        .send(await page(token, (done && NOTICE[done]) || null));
    });

    for (const answer of ['accept', 'decline'] as const) {
      app.post(
        `/q/:token/${answer}`,
        { config: publicPage, schema: { hide: true, params: TokenParam } },
        async (req, reply) => {
          const { token } = req.params as z.infer<typeof TokenParam>;
          const wantsJson = (req.headers.accept ?? '').includes('application/json');
          try {
            const { quote, today } = await service.respondByToken(site, token, answer);
            if (wantsJson) return quoteOut(quote, today, site.publicUrl);
            return reply.redirect(`/q/${encodeURIComponent(token)}?done=${answer}ed`, 303);
          } catch (err) {
            if (wantsJson || !(err instanceof DomainError) || err.kind !== 'conflict') throw err;
            return reply
              .code(409)
              .type('text/html; charset=utf-8')
              .headers(html)
              .send(await page(token, err.message));
          }
        },
      );
    }

    app.get('/q/:token/pdf', { config: publicPage, schema: { hide: true, params: TokenParam } }, async (req, reply) => {
      const { token } = req.params as z.infer<typeof TokenParam>;
      const { pdf, number } = await service.hostedQuotePdf(site, token);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${number}.pdf"`).send(pdf);
    });
  };
}
