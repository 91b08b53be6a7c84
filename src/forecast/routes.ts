import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CsvFormatQuery, reportOrCsv } from '../platform/csv-list';
import { reportContext } from '../platform/replica';
import { ForecastOut, ForecastQuery, SalesOut, SalesQuery } from './schemas';
import * as service from './service';

const tags = ['Reports'];

export async function forecastRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/reports/forecast',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Forecast per month: quota, opportunities, invoiced, recurring scheduled and expected cash',
        querystring: ForecastQuery.extend(CsvFormatQuery),
        response: { 200: ForecastOut },
      },
    },
    async (req, reply) =>
      reportOrCsv(
        req,
        reply,
        await service.forecastReport(await reportContext(req, reply), req.query),
        'forecast',
        (r) => r.currencies.flatMap((c) => c.months.map((m) => ({ currency: c.currency, ...m }))),
      ),
  );
  app.get(
    '/reports/sales',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Sales metrics of a period: lead conversion, win rates, deal size, cycle, stage conversion',
        querystring: SalesQuery.extend(CsvFormatQuery),
        response: { 200: SalesOut },
      },
    },
    async (req, reply) =>
      reportOrCsv(req, reply, await service.salesReport(await reportContext(req, reply), req.query), 'sales', (r) =>
        r.currencies.map(({ stage_conversion: _s, ...c }) => ({ from: r.from, to: r.to, ...c })),
      ),
  );
}
