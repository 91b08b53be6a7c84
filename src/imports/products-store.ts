import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { ProductIn } from '../catalog/schemas';
import { products, taxRates } from '../catalog/tables';
import { newId } from '../platform/ids';
import { insertEvents } from './event-store';
import type { ImportKind } from './registry';
import { checkRow, type RowError, rowObject } from './rows';

/** Products (`tax_rate`: the id of one of the organization's tax rates). */
export const productsImport: ImportKind = {
  kind: 'products',
  columns: {
    name: 'text',
    sku: 'text',
    description: 'text',
    unit_price: 'text',
    currency: 'text',
    unit: 'text',
    tax_rate: 'text',
    active: 'bool',
  },
  async plan(ctx, tx, table) {
    const rates = new Set(
      (await tx.select({ id: taxRates.id }).from(taxRates).where(eq(taxRates.orgId, ctx.orgId))).map((r) => r.id),
    );
    const errors: RowError[] = [];
    const creates: z.output<typeof ProductIn>[] = [];
    table.rows.forEach((raw, i) => {
      const rowNo = i + 1;
      const { value, errors: typeErrors } = rowObject(raw, productsImport.columns, rowNo);
      errors.push(...typeErrors);
      const { data, errors: rowErrors } = checkRow(ProductIn, value, rowNo);
      errors.push(...rowErrors);
      if (data?.tax_rate && !rates.has(data.tax_rate))
        errors.push({ row: rowNo, column: 'tax_rate', code: 'not_found', message: `No tax rate ${data.tax_rate}.` });
      else if (data) creates.push(data);
    });
    return {
      errors,
      created: creates.length,
      updated: 0,
      write: async () => {
        const now = ctx.clock.now();
        const rows = creates.map((p) => ({
          id: newId('prod'),
          orgId: ctx.orgId,
          createdAt: now,
          name: p.name,
          sku: p.sku ?? null,
          description: p.description ?? null,
          unitPrice: p.unit_price,
          currency: p.currency,
          unit: p.unit ?? 'C62',
          taxRateId: p.tax_rate ?? null,
          active: p.active ?? true,
        }));
        for (let i = 0; i < rows.length; i += 500) await tx.insert(products).values(rows.slice(i, i + 500));
        await insertEvents(
          tx,
          ctx,
          rows.map((r) => ({ type: 'product.created', object: { type: 'product', id: r.id }, data: { name: r.name } })),
        );
      },
    };
  },
};
