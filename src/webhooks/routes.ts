import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../platform/http';
import { IdParam, ListQuery, listOf } from '../platform/schemas';
import {
  DeliveryListQuery,
  ReplayIn,
  ReplayOut,
  WebhookDeliveryOut,
  WebhookEndpointIn,
  WebhookEndpointOut,
  WebhookEndpointPatch,
} from './schemas';
import * as service from './service';

const tags = ['Webhooks'];

export function webhookRoutes(deps: Pick<AppDeps, 'config'>) {
  const opts = { allowPrivate: deps.config.webhooksAllowPrivate === true };
  return async (base: FastifyInstance) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const access = 'admin' as const;

    app.post(
      '/webhook_endpoints',
      {
        config: { access },
        schema: {
          tags,
          summary: 'Add a webhook endpoint (its signing secret is shown in this response only)',
          body: WebhookEndpointIn,
          response: { 201: WebhookEndpointOut },
        },
      },
      async (req, reply) => {
        const { row, secret } = await service.createEndpoint(req.ctx, req.body, opts);
        return reply.code(201).send(service.endpointOut(row, secret));
      },
    );
    app.get(
      '/webhook_endpoints',
      {
        config: { access },
        schema: {
          tags,
          summary: 'Webhook endpoints, newest first',
          querystring: ListQuery,
          response: { 200: listOf(WebhookEndpointOut) },
        },
      },
      async (req) => {
        const page = await service.listEndpoints(req.ctx, req.query);
        return { data: page.data.map((r) => service.endpointOut(r)), has_more: page.has_more };
      },
    );
    app.get(
      '/webhook_endpoints/:id',
      {
        config: { access },
        schema: { tags, summary: 'One webhook endpoint', params: IdParam, response: { 200: WebhookEndpointOut } },
      },
      async (req) => service.endpointOut(await service.getEndpoint(req.ctx, req.params.id)),
    );
    app.patch(
      '/webhook_endpoints/:id',
      {
        config: { access },
        schema: {
          tags,
          summary: 'Change the URL, description or events of an endpoint, or disable / enable it',
          params: IdParam,
          body: WebhookEndpointPatch,
          response: { 200: WebhookEndpointOut },
        },
      },
      async (req) => service.endpointOut(await service.updateEndpoint(req.ctx, req.params.id, req.body, opts)),
    );
    app.delete(
      '/webhook_endpoints/:id',
      { config: { access }, schema: { tags, summary: 'Delete an endpoint and its delivery log', params: IdParam } },
      async (req, reply) => {
        await service.deleteEndpoint(req.ctx, req.params.id);
        return reply.code(204).send(null);
      },
    );
    app.post(
      '/webhook_endpoints/:id/rotate_secret',
      {
        config: { access },
        schema: {
          tags,
          summary: 'A new signing secret; the old one keeps signing beside it for 24 h',
          params: IdParam,
          response: { 200: WebhookEndpointOut },
        },
      },
      async (req) => {
        const { row, secret } = await service.rotateSecret(req.ctx, req.params.id);
        return service.endpointOut(row, secret);
      },
    );
    app.post(
      '/webhook_endpoints/:id/test',
      {
        config: { access },
        schema: {
          tags,
          summary: 'Send a webhook_endpoint.test event to this endpoint',
          params: IdParam,
          response: { 201: WebhookDeliveryOut },
        },
      },
      async (req, reply) =>
        reply.code(201).send(service.deliveryOut(await service.testEndpoint(req.ctx, req.params.id))),
    );
    app.post(
      '/webhook_endpoints/:id/replay',
      {
        config: { access },
        schema: {
          tags,
          summary: 'Queue again every subscribed event of a time window (inclusive)',
          params: IdParam,
          body: ReplayIn,
          response: { 200: ReplayOut },
        },
      },
      async (req) => ({ queued: await service.replay(req.ctx, req.params.id, req.body) }),
    );
    app.get(
      '/webhook_deliveries',
      {
        config: { access },
        schema: {
          tags,
          summary: 'The delivery log, newest first',
          querystring: DeliveryListQuery,
          response: { 200: listOf(WebhookDeliveryOut) },
        },
      },
      async (req) => {
        const page = await service.listDeliveries(req.ctx, req.query);
        return { data: page.data.map(service.deliveryOut), has_more: page.has_more };
      },
    );
    app.get(
      '/webhook_deliveries/:id',
      {
        config: { access },
        schema: { tags, summary: 'One delivery', params: IdParam, response: { 200: WebhookDeliveryOut } },
      },
      async (req) => service.deliveryOut(await service.getDelivery(req.ctx, req.params.id)),
    );
    app.post(
      '/webhook_deliveries/:id/retry',
      {
        config: { access },
        schema: {
          tags,
          summary: 'Attempt a delivery again now (same body and webhook-id)',
          params: IdParam,
          response: { 200: WebhookDeliveryOut },
        },
      },
      async (req) => service.deliveryOut(await service.retryDelivery(req.ctx, req.params.id)),
    );
  };
}
