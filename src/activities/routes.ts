import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParam, listOf } from '../platform/schemas';
import { ActivityIn, ActivityListQuery, ActivityOut, ActivityPatch, activityOut } from './schemas';
import * as service from './service';

const tags = ['Activities'];

export async function activityRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/activities',
    {
      config: { access: 'sales' },
      schema: {
        tags,
        summary: 'Log a call, email, meeting, task or note; owned by the creating user unless owner is given',
        body: ActivityIn,
        response: { 201: ActivityOut },
      },
    },
    async (req, reply) => reply.code(201).send(activityOut(await service.createActivity(req.ctx, req.body))),
  );
  app.get(
    '/activities',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'List activities, newest first. "My day": owner=me&done=false&due_date[lte]=<today>',
        description:
          "`related` takes the related record's id (ids are unique in the instance) or `type:id`, e.g. `customer:cus_…`. `owner=me` is the signed-in user.",
        querystring: ActivityListQuery,
        response: { 200: listOf(ActivityOut) },
      },
    },
    async (req) => {
      const page = await service.listActivities(req.ctx, req.query);
      return { data: page.data.map(activityOut), has_more: page.has_more };
    },
  );
  app.get(
    '/activities/:id',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'Get an activity', params: IdParam, response: { 200: ActivityOut } },
    },
    async (req) => activityOut(await service.getActivity(req.ctx.db, req.ctx, req.params.id)),
  );
  app.patch(
    '/activities/:id',
    {
      config: { access: 'sales' },
      schema: {
        tags,
        summary: 'Change an activity (sales reps: only their own)',
        params: IdParam,
        body: ActivityPatch,
        response: { 200: ActivityOut },
      },
    },
    async (req) => activityOut(await service.updateActivity(req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/activities/:id/done',
    {
      config: { access: 'sales' },
      schema: { tags, summary: 'Mark an activity done', params: IdParam, response: { 200: ActivityOut } },
    },
    async (req) => activityOut(await service.completeActivity(req.ctx, req.params.id)),
  );
}
