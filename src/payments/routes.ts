import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CustomerOut, customerOut } from '../crm/schemas';
import { CsvFormatQuery, listOrCsv } from '../platform/csv-list';
import { IdParam, listOf } from '../platform/schemas';
import { AllocateIn, ApplyCreditIn, PaymentIn, PaymentListQuery, PaymentOut, RefundIn, ReverseIn } from './schemas';
import * as service from './service';
import { paymentOut } from './view';

const tags = ['Payments'];
const out = (p: service.PaymentWithAllocations) => paymentOut(p.payment, p.allocations);

export async function paymentRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/payments',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Record a payment; allocate it, or auto-apply it to open invoices',
        body: PaymentIn,
        response: { 201: PaymentOut },
      },
    },
    async (req, reply) => reply.code(201).send(out(await service.createPayment(req.ctx, req.body))),
  );
  app.get(
    '/payments',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'List payments',
        querystring: PaymentListQuery.extend(CsvFormatQuery),
        response: { 200: listOf(PaymentOut) },
      },
    },
    async (req, reply) =>
      listOrCsv(req, reply, PaymentOut, 'payments', async (q: typeof req.query) => {
        const page = await service.listPayments(req.ctx, q);
        return { data: page.data.map(out), has_more: page.has_more };
      }),
  );
  app.get(
    '/payments/:id',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'Get a payment', params: IdParam, response: { 200: PaymentOut } },
    },
    async (req) => out(await service.getPayment(req.ctx.db, req.ctx, req.params.id)),
  );
  app.post(
    '/payments/:id/allocate',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Apply unapplied money to invoices (dated today unless date is given)',
        params: IdParam,
        body: AllocateIn,
        response: { 200: PaymentOut },
      },
    },
    async (req) => out(await service.allocatePayment(req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/payments/:id/refund',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Pay unapplied money back',
        params: IdParam,
        body: RefundIn,
        response: { 200: PaymentOut },
      },
    },
    async (req) => out(await service.refundPayment(req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/payments/:id/reverse',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Reverse a bounced payment: its allocations come off and the invoices reopen',
        params: IdParam,
        body: ReverseIn,
        response: { 200: PaymentOut },
      },
    },
    async (req) => out(await service.reversePayment(req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/customers/:id/apply_credit',
    {
      config: { access: 'finance' },
      schema: {
        tags: ['Customers'],
        summary: 'Pay a posted invoice from the credit balance (unapplied payments oldest first, then credit notes)',
        params: IdParam,
        body: ApplyCreditIn,
        response: { 200: CustomerOut },
      },
    },
    async (req) => customerOut(await service.applyCredit(req.ctx, req.params.id, req.body)),
  );
}
