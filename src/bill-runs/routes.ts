import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../platform/http';
import { IdParam, ListQuery, listOf } from '../platform/schemas';
import { BILL_RUN_START } from './jobs';
import { BillRunIn, BillRunOut, BillRunPreviewOut, billRunOut } from './schemas';
import * as service from './service';

const tags = ['Bill runs'];

export function billRunRoutes(deps: Pick<AppDeps, 'jobs'>) {
  return async (base: FastifyInstance) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.post(
      '/bill_runs',
      {
        config: { access: 'finance' },
        schema: {
          tags,
          summary:
            'Bill every subscription period due on or before target_date, in the background (dry_run: what it would bill, 200)',
          body: BillRunIn,
          response: { 202: BillRunOut, 200: BillRunPreviewOut },
        },
      },
      async (req, reply) => {
        if (req.body.dry_run) return reply.code(200).send(await service.previewBillRun(req.ctx, req.body));
        const run = await service.createBillRun(req.ctx, req.body, 'api');
        await deps.jobs.send(BILL_RUN_START, { runId: run.id }, { singletonKey: run.id });
        return reply.code(202).send(billRunOut(await service.getBillRun(req.ctx.db, req.ctx, run.id)));
      },
    );
    app.get(
      '/bill_runs',
      {
        config: { access: 'read' },
        schema: { tags, summary: 'List bill runs', querystring: ListQuery, response: { 200: listOf(BillRunOut) } },
      },
      async (req) => {
        const page = await service.listBillRuns(req.ctx, req.query);
        return { data: page.data.map(billRunOut), has_more: page.has_more };
      },
    );
    app.get(
      '/bill_runs/:id',
      {
        config: { access: 'read' },
        schema: {
          tags,
          summary: 'A bill run: status, counts and errors',
          params: IdParam,
          response: { 200: BillRunOut },
        },
      },
      async (req) => billRunOut(await service.getBillRun(req.ctx.db, req.ctx, req.params.id)),
    );
  };
}
