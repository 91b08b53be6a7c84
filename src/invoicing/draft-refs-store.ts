import { and, eq, inArray } from 'drizzle-orm';
import { products, taxRates } from '../catalog/tables';
import type { CustomerRow } from '../crm/schemas';
import { assertMayChange } from '../crm/service';
import { customers } from '../crm/tables';
import type { DraftRefs, ProductRef, StoredTaxRate } from '../invoicing/draft';
import { dec } from '../money/money';
import type { RequestContext } from '../platform/context';
import type { Queryable } from '../platform/db';
import { unprocessable } from '../platform/errors';
import { newId } from '../platform/ids';

/**
 * The products and tax rates that lines refer to, in the shape buildDraftAmounts takes, so quotes, orders and
 * subscriptions price their lines with the invoice arithmetic (two queries).
 */
export async function loadDraftRefs(
  q: Queryable,
  orgId: string,
  lines: { product?: string | null | undefined; tax_rate?: string | null | undefined }[],
): Promise<DraftRefs> {
  const productIds = [...new Set(lines.map((l) => l.product).filter((p): p is string => !!p))];
  const productRows = productIds.length
    ? await q
        .select()
        .from(products)
        .where(and(eq(products.orgId, orgId), inArray(products.id, productIds)))
    : [];
  const rateIds = [
    ...new Set(
      [...lines.map((l) => l.tax_rate), ...productRows.map((p) => p.taxRateId)].filter((r): r is string => !!r),
    ),
  ];
  const rateRows = rateIds.length
    ? await q
        .select()
        .from(taxRates)
        .where(and(eq(taxRates.orgId, orgId), inArray(taxRates.id, rateIds)))
    : [];
  return {
    products: new Map<string, ProductRef>(
      productRows.map((p) => [
        p.id,
        {
          id: p.id,
          name: p.name,
          description: p.description,
          unitPrice: p.unitPrice,
          currency: p.currency,
          unit: p.unit,
          taxRateId: p.taxRateId,
        },
      ]),
    ),
    taxRates: new Map<string, StoredTaxRate>(
      rateRows.map((r) => [
        r.id,
        {
          id: r.id,
          category: r.category as StoredTaxRate['category'],
          percentage: dec(r.percentage).toFixed(),
          exemption_reason: r.exemptionReason,
        },
      ]),
    ),
    newLineId: () => newId('li'),
  };
}

/** The customer named in a body: unknown is 422; sales reps may only sell to the customers they own. */
export async function documentCustomer(ctx: RequestContext, q: Queryable, id: string): Promise<CustomerRow> {
  const [customer] = await q
    .select()
    .from(customers)
    .where(and(eq(customers.id, id), eq(customers.orgId, ctx.orgId)));
  if (!customer) throw unprocessable('customer_not_found', `No customer ${id} in this organization.`, 'customer');
  assertMayChange(ctx, customer);
  return customer;
}

/** A document is in the customer's currency (422 otherwise). */
export function documentCurrency(customer: CustomerRow, currency: string | undefined): string {
  if (currency !== undefined && currency !== customer.currency)
    throw unprocessable(
      'currency_mismatch',
      `Customer ${customer.name} is billed in ${customer.currency}, not ${currency}.`,
      'currency',
    );
  return customer.currency;
}
