import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CsvFormatQuery, reportOrCsv } from '../platform/csv-list';
import { reportContext } from '../platform/replica';
import { IdParam } from '../platform/schemas';
import { AgingOut, AsOfQuery, PeriodQuery, StatementOut, SummaryOut } from './schemas';
import * as service from './service';

const tags = ['Reports'];

export async function reportRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/reports/aging',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Receivables aging by days past due, per currency and customer, as of a date',
        querystring: AsOfQuery.extend(CsvFormatQuery),
        response: { 200: AgingOut },
      },
    },
    async (req, reply) =>
      reportOrCsv(
        req,
        reply,
        await service.agingReport(await reportContext(req, reply), req.query.as_of ?? req.ctx.today),
        'aging',
        (r) =>
          r.currencies.flatMap((c) => c.customers.map((row) => ({ as_of: r.as_of, currency: c.currency, ...row }))),
      ),
  );
  app.get(
    '/reports/summary',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Invoiced, collected, credited, written off, outstanding, overdue, days to pay and DSO of a period',
        querystring: PeriodQuery.extend(CsvFormatQuery),
        response: { 200: SummaryOut },
      },
    },
    async (req, reply) =>
      reportOrCsv(req, reply, await service.summaryReport(await reportContext(req, reply), req.query), 'summary', (r) =>
        r.currencies.map((c) => ({ from: r.from, to: r.to, ...c })),
      ),
  );
  app.get(
    '/customers/:id/statement',
    {
      config: { access: 'read' },
      schema: {
        tags: ['Customers'],
        summary: 'The customer\u2019s statement of account with a running balance',
        params: IdParam,
        querystring: PeriodQuery.extend(CsvFormatQuery),
        response: { 200: StatementOut },
      },
    },
    async (req, reply) =>
      reportOrCsv(
        req,
        reply,
        await service.customerStatement(await reportContext(req, reply), req.params.id, req.query),
        'statement',
        (r) => r.lines.map((l) => ({ currency: r.currency, ...l })),
      ),
  );
}
