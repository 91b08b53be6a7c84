import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParam } from '../platform/schemas';
import { creditNoteUbl, invoiceFacturX, invoiceUbl } from './service';

const UblOut = z.string().meta({ description: 'UBL 2.1 XML (Peppol BIS Billing 3.0), application/xml' });
const FacturXOut = z.any().meta({
  description: 'application/pdf: PDF/A-3b with the CII XML (Factur-X 1.0, EN 16931) attached as factur-x.xml',
});
const REFUSALS =
  '409 invoice_not_posted for a draft; 422 currency_not_supported_by_en16931 for currencies with more than 2 ' +
  'minor digits; 422 einvoice_invalid naming the broken EN 16931 rule (message and param).';

export async function einvoiceRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const sendXml = (reply: FastifyReply, { xml, filename }: { xml: string; filename: string }) =>
    reply
      .type('application/xml; charset=utf-8')
      .header('content-disposition', `inline; filename="${filename}"`)
      .send(xml);

  app.get(
    '/invoices/:id/ubl',
    {
      config: { access: 'read' },
      schema: {
        tags: ['Invoices'],
        summary: 'The posted invoice as UBL 2.1 (Peppol BIS Billing 3.0)',
        description: REFUSALS,
        params: IdParam,
        produces: ['application/xml'],
        response: { 200: UblOut },
      },
    },
    async (req, reply) => sendXml(reply, await invoiceUbl(req.ctx, req.params.id)),
  );
  app.get(
    '/credit_notes/:id/ubl',
    {
      config: { access: 'read' },
      schema: {
        tags: ['Credit notes'],
        summary: 'The credit note as a UBL 2.1 CreditNote referring to its invoice (BT-25)',
        description: REFUSALS.replace('409 invoice_not_posted for a draft; ', ''),
        params: IdParam,
        produces: ['application/xml'],
        response: { 200: UblOut },
      },
    },
    async (req, reply) => sendXml(reply, await creditNoteUbl(req.ctx, req.params.id)),
  );
  app.get(
    '/invoices/:id/facturx',
    {
      config: { access: 'read' },
      schema: {
        tags: ['Invoices'],
        summary: 'The posted invoice as Factur-X: PDF/A-3b with its CII XML attached',
        description: REFUSALS,
        params: IdParam,
        produces: ['application/pdf'],
        response: { 200: FacturXOut },
      },
    },
    async (req, reply) => {
      const { pdf, filename } = await invoiceFacturX(req.ctx, req.params.id);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${filename}"`).send(pdf);
    },
  );
}
