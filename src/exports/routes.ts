import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParam, ListQuery, listOf } from '../platform/schemas';
import { ExportIn, ExportOut } from './schemas';
import * as service from './service';

const tags = ['Exports'];

export async function exportRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/exports',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Export the journal of a period (CSV, JSON, DATEV, Xero, QuickBooks Online)',
        body: ExportIn,
        response: { 201: ExportOut },
      },
    },
    async (req, reply) => reply.code(201).send(service.exportOut(await service.createExport(req.ctx, req.body))),
  );
  app.get(
    '/exports',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Every export made, newest first',
        querystring: ListQuery,
        response: { 200: listOf(ExportOut) },
      },
    },
    async (req) => {
      const page = await service.listExports(req.ctx, req.query);
      return { data: page.data.map(service.exportOut), has_more: page.has_more };
    },
  );
  app.get(
    '/exports/:id',
    {
      config: { access: 'finance' },
      schema: { tags, summary: 'One export', params: IdParam, response: { 200: ExportOut } },
    },
    async (req) => service.exportOut(await service.getExport(req.ctx, req.params.id)),
  );
  app.get(
    '/exports/:id/file',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Download the exported file, byte for byte as it was made',
        params: IdParam,
        produces: ['text/csv', 'application/json'],
        response: { 200: z.any().meta({ description: 'The file (CSV, JSON)' }) },
      },
    },
    async (req, reply) => {
      const row = await service.getExport(req.ctx, req.params.id);
      return reply
        .header('content-type', row.contentType)
        .header('content-disposition', `attachment; filename="${row.fileName}"`)
        .header('x-content-sha256', row.sha256)
        .send(row.content);
    },
  );
}
