import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CsvFormatQuery, listOrCsv } from '../platform/csv-list';
import { IdParam, ListQuery, listOf } from '../platform/schemas';
import {
  ProductIn,
  ProductListQuery,
  ProductOut,
  ProductPatch,
  productOut,
  TaxRateIn,
  TaxRateOut,
  TaxRatePatch,
  taxRateOut,
} from './schemas';
import * as service from './service';

export async function catalogRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  let tags = ['Tax rates'];
  app.post(
    '/tax_rates',
    {
      config: { access: 'finance' },
      schema: { tags, summary: 'Create a tax rate', body: TaxRateIn, response: { 201: TaxRateOut } },
    },
    async (req, reply) => reply.code(201).send(taxRateOut(await service.createTaxRate(req.ctx, req.body))),
  );
  app.get(
    '/tax_rates',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'List tax rates', querystring: ListQuery, response: { 200: listOf(TaxRateOut) } },
    },
    async (req) => {
      const page = await service.listTaxRates(req.ctx, req.query);
      return { ...page, data: page.data.map(taxRateOut) };
    },
  );
  app.get(
    '/tax_rates/:id',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'Get a tax rate', params: IdParam, response: { 200: TaxRateOut } },
    },
    async (req) => taxRateOut(await service.getTaxRate(req.ctx.db, req.ctx, req.params.id)),
  );
  app.patch(
    '/tax_rates/:id',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Rename, deactivate or explain a tax rate (its category and percentage never change)',
        params: IdParam,
        body: TaxRatePatch,
        response: { 200: TaxRateOut },
      },
    },
    async (req) => taxRateOut(await service.updateTaxRate(req.ctx, req.params.id, req.body)),
  );

  tags = ['Products'];
  app.post(
    '/products',
    {
      config: { access: 'finance' },
      schema: { tags, summary: 'Create a product', body: ProductIn, response: { 201: ProductOut } },
    },
    async (req, reply) => reply.code(201).send(productOut(await service.createProduct(req.ctx, req.body))),
  );
  app.get(
    '/products',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'List products',
        querystring: ProductListQuery.extend(CsvFormatQuery),
        response: { 200: listOf(ProductOut) },
      },
    },
    async (req, reply) =>
      listOrCsv(req, reply, ProductOut, 'products', async (q: typeof req.query) => {
        const page = await service.listProducts(req.ctx, q);
        return { ...page, data: page.data.map(productOut) };
      }),
  );
  app.get(
    '/products/:id',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'Get a product', params: IdParam, response: { 200: ProductOut } },
    },
    async (req) => productOut(await service.getProduct(req.ctx.db, req.ctx, req.params.id)),
  );
  app.patch(
    '/products/:id',
    {
      config: { access: 'finance' },
      schema: { tags, summary: 'Change a product', params: IdParam, body: ProductPatch, response: { 200: ProductOut } },
    },
    async (req) => productOut(await service.updateProduct(req.ctx, req.params.id, req.body)),
  );
}
