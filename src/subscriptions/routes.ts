import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { EventOut, eventOut } from '../events/schemas';
import { listEvents } from '../events/service';
import type { AppDeps } from '../platform/http';
import { IdParam, ListQuery, listOf } from '../platform/schemas';
import {
  CancelIn,
  ChangeIn,
  PreviewOut,
  PreviewQuery,
  SubscriptionIn,
  SubscriptionListQuery,
  SubscriptionOut,
  subscriptionOut,
  UsageIn,
  UsageListQuery,
  UsageOut,
  usageOut,
} from './schemas';
import * as service from './service';

const tags = ['Subscriptions'];

export function subscriptionRoutes(deps: Pick<AppDeps, 'config' | 'jobs'>) {
  const opts = { smtpConfigured: deps.config.smtpUrl !== null, jobs: deps.jobs };
  return async (base: FastifyInstance) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const billing = { smtpConfigured: opts.smtpConfigured };

    app.post(
      '/subscriptions',
      {
        config: { access: 'finance' },
        schema: { tags, summary: 'Create a subscription', body: SubscriptionIn, response: { 201: SubscriptionOut } },
      },
      async (req, reply) =>
        reply.code(201).send(subscriptionOut(await service.createSubscription(req.ctx, req.body), req.ctx.today)),
    );
    app.get(
      '/subscriptions',
      {
        config: { access: 'read' },
        schema: {
          tags,
          summary: 'List subscriptions',
          querystring: SubscriptionListQuery,
          response: { 200: listOf(SubscriptionOut) },
        },
      },
      async (req) => {
        const page = await service.listSubscriptions(req.ctx, req.query);
        return { data: page.data.map((s) => subscriptionOut(s, req.ctx.today)), has_more: page.has_more };
      },
    );
    app.get(
      '/subscriptions/:id',
      {
        config: { access: 'read' },
        schema: { tags, summary: 'Get a subscription', params: IdParam, response: { 200: SubscriptionOut } },
      },
      async (req) => subscriptionOut(await service.getSubscription(req.ctx.db, req.ctx, req.params.id), req.ctx.today),
    );
    app.post(
      '/subscriptions/:id/changes',
      {
        config: { access: 'finance' },
        schema: {
          tags,
          summary: 'Change items (quantity, price) from a date, with create_prorations, always_invoice or none',
          params: IdParam,
          body: ChangeIn,
          response: { 200: SubscriptionOut },
        },
      },
      async (req) => {
        const result = await service.changeSubscription(req.ctx, req.params.id, req.body, billing);
        return subscriptionOut(result.subscription, req.ctx.today);
      },
    );
    app.post(
      '/subscriptions/:id/cancel',
      {
        config: { access: 'finance' },
        schema: {
          tags,
          summary: 'Cancel from a date; with prorate, unused billed days are credited by a credit note',
          params: IdParam,
          body: CancelIn,
          response: { 200: SubscriptionOut },
        },
      },
      async (req) => {
        const result = await service.cancelSubscription(req.ctx, req.params.id, req.body, billing);
        return subscriptionOut(result.subscription, req.ctx.today);
      },
    );
    app.post(
      '/subscriptions/:id/usage',
      {
        config: { access: 'finance' },
        schema: {
          tags,
          summary: 'Record usage of a usage item (send an Idempotency-Key)',
          params: IdParam,
          body: UsageIn,
          response: { 201: UsageOut, 200: UsageOut },
        },
      },
      async (req, reply) => {
        const { usage, created } = await service.recordUsage(req.ctx, req.params.id, req.body, req.idempotencyKey);
        return reply.code(created ? 201 : 200).send(usageOut(usage));
      },
    );
    app.get(
      '/subscriptions/:id/usage',
      {
        config: { access: 'read' },
        schema: {
          tags,
          summary: 'Usage records, newest first',
          params: IdParam,
          querystring: UsageListQuery,
          response: { 200: listOf(UsageOut) },
        },
      },
      async (req) => {
        const page = await service.listUsage(req.ctx, req.params.id, req.query);
        return { data: page.data.map(usageOut), has_more: page.has_more };
      },
    );
    app.get(
      '/subscriptions/:id/preview',
      {
        config: { access: 'read' },
        schema: {
          tags,
          summary: 'The next invoice, computed by the billing code; nothing is saved',
          params: IdParam,
          querystring: PreviewQuery,
          response: { 200: PreviewOut },
        },
      },
      async (req) => service.previewSubscription(req.ctx, req.params.id, req.query.as_of ?? req.ctx.today),
    );
    app.get(
      '/subscriptions/:id/events',
      {
        config: { access: 'read' },
        schema: {
          tags,
          summary: 'The subscription’s timeline',
          params: IdParam,
          querystring: ListQuery,
          response: { 200: listOf(EventOut) },
        },
      },
      async (req) => {
        await service.getSubscription(req.ctx.db, req.ctx, req.params.id);
        const page = await listEvents(req.ctx, { ...req.query, object: req.params.id });
        return { ...page, data: page.data.map(eventOut) };
      },
    );
  };
}
