import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { EventOut, eventOut } from '../events/schemas';
import { listEvents } from '../events/service';
import { InvoiceOut } from '../invoicing/schemas';
import { invoiceOut } from '../invoicing/view';
import { IdParam, ListQuery, listOf } from '../platform/schemas';
import { OrderIn, OrderInvoiceIn, OrderListQuery, OrderOut, orderOut } from './schemas';
import * as service from './service';

const tags = ['Orders'];

export async function orderRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/orders',
    {
      config: { access: 'sales' },
      schema: {
        tags,
        summary: 'Create an order without a quote; recurring lines become subscriptions',
        body: OrderIn,
        response: { 201: OrderOut },
      },
    },
    async (req, reply) => {
      const order = await service.createOrder(req.ctx, req.body);
      return reply.code(201).send(orderOut(await service.getOrder(req.ctx.db, req.ctx, order.id)));
    },
  );
  app.get(
    '/orders',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'List orders', querystring: OrderListQuery, response: { 200: listOf(OrderOut) } },
    },
    async (req) => {
      const page = await service.listOrders(req.ctx, req.query);
      return { data: page.data.map(orderOut), has_more: page.has_more };
    },
  );
  app.get(
    '/orders/:id',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Get an order with what is invoiced and what is left',
        params: IdParam,
        response: { 200: OrderOut },
      },
    },
    async (req) => orderOut(await service.getOrder(req.ctx.db, req.ctx, req.params.id)),
  );
  app.post(
    '/orders/:id/invoice',
    {
      config: { access: 'sales' },
      schema: {
        tags,
        summary: 'Invoice one-time lines by quantity and milestones by percent (never more than ordered: 409)',
        params: IdParam,
        body: OrderInvoiceIn,
        response: { 201: InvoiceOut },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          invoiceOut(await service.invoiceOrder(req.ctx, req.params.id, req.body), req.ctx.today, req.ctx.publicUrl),
        ),
  );
  app.post(
    '/orders/:id/cancel',
    {
      config: { access: 'sales' },
      schema: {
        tags,
        summary: 'Cancel an order: nothing more is invoiced from it (its subscriptions are cancelled on their own)',
        params: IdParam,
        response: { 200: OrderOut },
      },
    },
    async (req) => orderOut(await service.cancelOrder(req.ctx, req.params.id)),
  );
  app.get(
    '/orders/:id/events',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'The order’s timeline',
        params: IdParam,
        querystring: ListQuery,
        response: { 200: listOf(EventOut) },
      },
    },
    async (req) => {
      await service.getOrder(req.ctx.db, req.ctx, req.params.id);
      const page = await listEvents(req.ctx, { ...req.query, object: req.params.id });
      return { ...page, data: page.data.map(eventOut) };
    },
  );
}
