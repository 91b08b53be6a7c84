import { and, eq } from 'drizzle-orm';
import { getCreditNote } from '../credit-notes/service';
import { creditNoteOut } from '../credit-notes/view';
import { customerOut } from '../crm/schemas';
import { customerIbansOf, getCustomer } from '../crm/service';
import { getInvoice } from '../invoicing/service';
import { invoiceOut } from '../invoicing/view';
import { getPayment } from '../payments/service';
import { paymentOut } from '../payments/view';
import type { RequestContext } from '../platform/context';
import type { Queryable } from '../platform/db';
import { notFound } from '../platform/errors';
import { webhookEndpoints } from './tables';
import { endpointOut } from './view';

/** What a serializer gets: the event's transaction, its organization, the day it is and the public base URL. */
export interface SerializeContext {
  orgId: string;
  today: string;
  publicUrl: string;
}
export type ObjectSerializer = (q: Queryable, ctx: SerializeContext, id: string) => Promise<unknown>;

const serializers = new Map<string, ObjectSerializer>();

/** Registers how an object type is shown in a webhook's `data.object`: as its GET endpoint returns it. */
export function registerObjectSerializer(objectType: string, serializer: ObjectSerializer): void {
  serializers.set(objectType, serializer);
}

export function serializerFor(objectType: string): ObjectSerializer | undefined {
  return serializers.get(objectType);
}

const org = (ctx: SerializeContext): Pick<RequestContext, 'orgId'> => ({ orgId: ctx.orgId });

registerObjectSerializer('invoice', async (q, ctx, id) =>
  invoiceOut(await getInvoice(q, org(ctx), id), ctx.today, ctx.publicUrl),
);
// As GET /customers/:id answers: with the IBANs the customer pays from.
registerObjectSerializer('customer', async (q, ctx, id) => ({
  ...customerOut(await getCustomer(q, org(ctx), id)),
  bank_accounts: await customerIbansOf(q, org(ctx), id),
}));
registerObjectSerializer('payment', async (q, ctx, id) => {
  const p = await getPayment(q, org(ctx), id);
  return paymentOut(p.payment, p.allocations);
});
registerObjectSerializer('credit_note', async (q, ctx, id) => creditNoteOut(await getCreditNote(q, org(ctx), id)));
registerObjectSerializer('webhook_endpoint', async (q, ctx, id) => {
  const [row] = await q
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, ctx.orgId)));
  if (!row) throw notFound('webhook_endpoint', id);
  return endpointOut(row);
});
