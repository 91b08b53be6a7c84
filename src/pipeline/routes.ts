import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CsvFormatQuery, listOrCsv } from '../platform/csv-list';
import { IdParam, listOf } from '../platform/schemas';
import { QuoteOut, quoteOut } from '../quotes/schemas';
import {
  OpportunityIn,
  OpportunityListQuery,
  OpportunityOut,
  OpportunityPatch,
  PipelineOut,
  PipelineQuery,
  StageIn,
  StageOut,
  StagePatch,
  stageOut,
} from './schemas';
import * as service from './service';

export async function pipelineRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const tags = ['Pipeline'];

  app.get(
    '/pipeline_stages',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Pipeline stages by position',
        response: { 200: z.object({ data: z.array(StageOut) }) },
      },
    },
    async (req) => ({ data: (await service.stagesOf(req.ctx.db, req.ctx)).map(stageOut) }),
  );
  app.post(
    '/pipeline_stages',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Add a stage', body: StageIn, response: { 201: StageOut } },
    },
    async (req, reply) => reply.code(201).send(stageOut(await service.createStage(req.ctx, req.body))),
  );
  app.patch(
    '/pipeline_stages/:id',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Change a stage', params: IdParam, body: StagePatch, response: { 200: StageOut } },
    },
    async (req) => stageOut(await service.updateStage(req.ctx, req.params.id, req.body)),
  );

  app.post(
    '/opportunities',
    {
      config: { access: 'sales' },
      schema: { tags, summary: 'Create an opportunity', body: OpportunityIn, response: { 201: OpportunityOut } },
    },
    async (req, reply) => {
      const row = await service.createOpportunity(req.ctx, req.body);
      return reply.code(201).send(await service.getOpportunity(req.ctx.db, req.ctx, row.id));
    },
  );
  app.get(
    '/opportunities',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'List opportunities',
        querystring: OpportunityListQuery.extend(CsvFormatQuery),
        response: { 200: listOf(OpportunityOut) },
      },
    },
    async (req, reply) =>
      listOrCsv(req, reply, OpportunityOut, 'opportunities', (q: typeof req.query) =>
        service.listOpportunities(req.ctx, q),
      ),
  );
  app.get(
    '/opportunities/:id',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'Get an opportunity', params: IdParam, response: { 200: OpportunityOut } },
    },
    async (req) => service.getOpportunity(req.ctx.db, req.ctx, req.params.id),
  );
  app.patch(
    '/opportunities/:id',
    {
      config: { access: 'sales' },
      schema: {
        tags,
        summary: 'Change an opportunity (stage changes append to its history)',
        params: IdParam,
        body: OpportunityPatch,
        response: { 200: OpportunityOut },
      },
    },
    async (req) => {
      await service.updateOpportunity(req.ctx, req.params.id, req.body);
      return service.getOpportunity(req.ctx.db, req.ctx, req.params.id);
    },
  );
  app.delete(
    '/opportunities/:id',
    {
      config: { access: 'sales' },
      schema: { tags, summary: 'Delete an open opportunity', params: IdParam, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await service.deleteOpportunity(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/opportunities/:id/quote',
    {
      config: { access: 'sales' },
      schema: {
        tags,
        summary: 'Make a draft quote of the lines (accepting it wins the opportunity)',
        params: IdParam,
        response: { 201: QuoteOut },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(quoteOut(await service.quoteOpportunity(req.ctx, req.params.id), req.ctx.today, req.ctx.publicUrl)),
  );

  app.get(
    '/reports/pipeline',
    {
      config: { access: 'read' },
      schema: {
        tags: ['Reports'],
        summary: 'Open pipeline by stage as of a day, from the stage history',
        querystring: PipelineQuery,
        response: { 200: PipelineOut },
      },
    },
    async (req) => service.pipelineReport(req.ctx.db, req.ctx, req.query),
  );
}
