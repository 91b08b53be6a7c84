import { and, desc, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { RequestContext } from '../platform/context';
import type { Queryable, Tx } from '../platform/db';
import { notFound, unprocessable } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { afterCursor, type PageQuery, toPage } from '../platform/pagination';
import type { ProductIn, ProductPatch, ProductRow, TaxRateIn, TaxRatePatch, TaxRateRow } from './schemas';
import { products, taxRates } from './tables';
import { validateTaxRate } from './tax-rules';

export async function getTaxRate(q: Queryable, ctx: Pick<RequestContext, 'orgId'>, id: string): Promise<TaxRateRow> {
  const [row] = await q
    .select()
    .from(taxRates)
    .where(and(eq(taxRates.id, id), eq(taxRates.orgId, ctx.orgId)));
  if (!row) throw notFound('tax rate', id);
  return row;
}

/** A tax rate named in a request body: unknown is 422, not 404. */
export async function referencedTaxRate(
  ctx: Pick<RequestContext, 'orgId'>,
  q: Queryable,
  id: string,
  param: string,
): Promise<TaxRateRow> {
  const [row] = await q
    .select()
    .from(taxRates)
    .where(and(eq(taxRates.id, id), eq(taxRates.orgId, ctx.orgId)));
  if (!row) throw unprocessable('tax_rate_not_found', `No tax rate ${id} in this organization.`, param);
  return row;
}

export async function createTaxRate(ctx: RequestContext, input: z.output<typeof TaxRateIn>): Promise<TaxRateRow> {
  validateTaxRate(input);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(taxRates)
      .values({
        id: newId('txr'),
        orgId: ctx.orgId,
        createdAt: ctx.clock.now(),
        name: input.name,
        percentage: input.percentage,
        category: input.category,
        exemptionReason: input.exemption_reason ?? null,
        country: input.country ?? null,
        active: input.active ?? true,
      })
      .returning();
    await recordEvent(
      tx,
      ctx,
      'tax_rate.created',
      { type: 'tax_rate', id: row!.id },
      { category: input.category, percentage: input.percentage },
    );
    return row!;
  });
}

export async function updateTaxRate(
  ctx: RequestContext,
  id: string,
  patch: z.output<typeof TaxRatePatch>,
): Promise<TaxRateRow> {
  return ctx.db.transaction((tx) => updateTaxRateIn(tx, ctx, id, patch));
}

/** updateTaxRate, in the caller's transaction. */
export async function updateTaxRateIn(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  patch: z.output<typeof TaxRatePatch>,
): Promise<TaxRateRow> {
  const before = await getTaxRate(tx, ctx, id);
  const exemptionReason = patch.exemption_reason === undefined ? before.exemptionReason : patch.exemption_reason;
  validateTaxRate({
    category: before.category as never,
    percentage: before.percentage,
    exemption_reason: exemptionReason,
  });
  const [row] = await tx
    .update(taxRates)
    .set({
      name: patch.name ?? before.name,
      exemptionReason,
      country: patch.country === undefined ? before.country : patch.country,
      active: patch.active ?? before.active,
    })
    .where(eq(taxRates.id, id))
    .returning();
  await recordEvent(tx, ctx, 'tax_rate.updated', { type: 'tax_rate', id });
  return row!;
}

export async function listTaxRates(ctx: RequestContext, page: PageQuery) {
  const cursor = await afterCursor(ctx.db, taxRates, ctx.orgId, page.starting_after);
  const rows = await ctx.db
    .select()
    .from(taxRates)
    .where(and(eq(taxRates.orgId, ctx.orgId), cursor))
    .orderBy(desc(taxRates.createdAt), desc(taxRates.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit);
}

export async function getProduct(q: Queryable, ctx: Pick<RequestContext, 'orgId'>, id: string): Promise<ProductRow> {
  const [row] = await q
    .select()
    .from(products)
    .where(and(eq(products.id, id), eq(products.orgId, ctx.orgId)));
  if (!row) throw notFound('product', id);
  return row;
}

export async function createProduct(ctx: RequestContext, input: z.output<typeof ProductIn>): Promise<ProductRow> {
  return ctx.db.transaction((tx) => createProductIn(tx, ctx, input));
}

/** createProduct, in the caller's transaction. */
export async function createProductIn(
  tx: Tx,
  ctx: RequestContext,
  input: z.output<typeof ProductIn>,
): Promise<ProductRow> {
  if (input.tax_rate) await referencedTaxRate(ctx, tx, input.tax_rate, 'tax_rate');
  const [row] = await tx
    .insert(products)
    .values({
      id: newId('prod'),
      orgId: ctx.orgId,
      createdAt: ctx.clock.now(),
      name: input.name,
      sku: input.sku ?? null,
      description: input.description ?? null,
      unitPrice: input.unit_price,
      currency: input.currency,
      unit: input.unit ?? 'C62',
      taxRateId: input.tax_rate ?? null,
      active: input.active ?? true,
    })
    .returning();
  await recordEvent(tx, ctx, 'product.created', { type: 'product', id: row!.id }, { name: row!.name });
  return row!;
}

export async function updateProduct(
  ctx: RequestContext,
  id: string,
  patch: z.output<typeof ProductPatch>,
): Promise<ProductRow> {
  return ctx.db.transaction((tx) => updateProductIn(tx, ctx, id, patch));
}

/** updateProduct, in the caller's transaction. */
export async function updateProductIn(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  patch: z.output<typeof ProductPatch>,
): Promise<ProductRow> {
  const before = await getProduct(tx, ctx, id);
  if (patch.tax_rate) await referencedTaxRate(ctx, tx, patch.tax_rate, 'tax_rate');
  const [row] = await tx
    .update(products)
    .set({
      name: patch.name ?? before.name,
      sku: patch.sku === undefined ? before.sku : patch.sku,
      description: patch.description === undefined ? before.description : patch.description,
      unitPrice: patch.unit_price ?? before.unitPrice,
      currency: patch.currency ?? before.currency,
      unit: patch.unit ?? before.unit,
      taxRateId: patch.tax_rate === undefined ? before.taxRateId : patch.tax_rate,
      active: patch.active ?? before.active,
    })
    .where(eq(products.id, id))
    .returning();
  await recordEvent(tx, ctx, 'product.updated', { type: 'product', id });
  return row!;
}

export async function listProducts(
  ctx: RequestContext,
  query: PageQuery & { search?: string | undefined; active?: 'true' | 'false' | undefined },
) {
  const cursor = await afterCursor(ctx.db, products, ctx.orgId, query.starting_after);
  const conditions: (SQL | undefined)[] = [eq(products.orgId, ctx.orgId), cursor];
  if (query.search) {
    const pattern = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(products.name, pattern), ilike(products.sku, pattern)));
  }
  if (query.active) conditions.push(eq(products.active, query.active === 'true'));
  const rows = await ctx.db
    .select()
    .from(products)
    .where(and(...conditions))
    .orderBy(desc(products.createdAt), desc(products.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit);
}
