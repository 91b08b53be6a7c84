import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParam, ListQuery, listOf } from '../platform/schemas';
import {
  QuotaIn,
  QuotaListQuery,
  QuotaOut,
  RealignIn,
  RealignOut,
  TerritoryIn,
  TerritoryOut,
  TerritoryPatch,
  territoryOut,
} from './schemas';
import * as service from './service';

const tags = ['Territories'];

export async function territoryRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/territories',
    {
      config: { access: 'finance' },
      schema: { tags, summary: 'Create a territory', body: TerritoryIn, response: { 201: TerritoryOut } },
    },
    async (req, reply) => reply.code(201).send(territoryOut(await service.createTerritory(req.ctx, req.body))),
  );
  app.get(
    '/territories',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'List territories', querystring: ListQuery, response: { 200: listOf(TerritoryOut) } },
    },
    async (req) => {
      const page = await service.listTerritories(req.ctx, req.query);
      return { ...page, data: page.data.map(territoryOut) };
    },
  );
  app.get(
    '/territories/:id',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'Get a territory', params: IdParam, response: { 200: TerritoryOut } },
    },
    async (req) => territoryOut(await service.getTerritory(req.ctx.db, req.ctx, req.params.id)),
  );
  app.patch(
    '/territories/:id',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Change a territory',
        params: IdParam,
        body: TerritoryPatch,
        response: { 200: TerritoryOut },
      },
    },
    async (req) => territoryOut(await service.updateTerritory(req.ctx, req.params.id, req.body)),
  );
  app.delete(
    '/territories/:id',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Delete a territory without sub-territories',
        params: IdParam,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await service.deleteTerritory(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/territories/realign',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Re-apply the territory rules to customers, open leads and open opportunities (or preview it)',
        body: RealignIn,
        response: { 200: RealignOut },
      },
    },
    async (req) => service.realign(req.ctx, req.body),
  );

  app.put(
    '/quotas',
    {
      config: { access: 'finance' },
      schema: { tags: ['Quotas'], summary: 'Set a quota (upsert)', body: QuotaIn, response: { 200: QuotaOut } },
    },
    async (req) =>
      (await service.quotasOut(req.ctx.db, req.ctx.orgId, [await service.putQuota(req.ctx, req.body)]))[0]!,
  );
  app.get(
    '/quotas',
    {
      config: { access: 'read' },
      schema: {
        tags: ['Quotas'],
        summary: 'List quotas',
        querystring: QuotaListQuery,
        response: { 200: listOf(QuotaOut) },
      },
    },
    async (req) => ({
      data: await service.quotasOut(req.ctx.db, req.ctx.orgId, await service.listQuotas(req.ctx, req.query)),
      has_more: false,
    }),
  );
}
