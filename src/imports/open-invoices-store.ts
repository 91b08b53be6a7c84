import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { customers } from '../crm/tables';
import { invoices } from '../invoicing/tables';
import { openingBalanceImported } from '../ledger/entries';
import { recordEntries } from '../ledger/journal-store';
import { dec, formatAmount, parseAmount } from '../money/money';
import { assertPeriodOpen } from '../organizations/closed-period';
import { getSettings } from '../organizations/service';
import { invalid } from '../platform/errors';
import { newId } from '../platform/ids';
import { IsoDate } from '../platform/schemas';
import { newToken } from '../platform/secrets';
import { insertEvents } from './event-store';
import type { ImportKind } from './registry';
import { checkRow, type RowError, rowObject } from './rows';

const OpenInvoiceRow = z.object({
  customer: z.string().min(1),
  number: z.string().trim().min(1).max(100),
  issue_date: IsoDate,
  due_date: IsoDate,
  currency: z.string().length(3).optional(),
  total: z.string(),
  amount_due: z.string(),
  tax_total: z.string().optional(),
});

interface Planned {
  id: string;
  customer: typeof customers.$inferSelect;
  number: string;
  issueDate: string;
  dueDate: string;
  total: string;
  taxTotal: string;
  amountDue: string;
  paidBefore: string;
}

/**
 * Open invoices from a previous system: each becomes a posted invoice in an external number series, with one line
 * "Opening balance of <number>"; what was paid before counts as paid, unjournaled; what is due is journaled
 * Dr receivables / Cr opening_balance on the opening date.
 */
export const openInvoicesImport: ImportKind = {
  kind: 'open_invoices',
  columns: {
    customer: 'text',
    number: 'text',
    issue_date: 'text',
    due_date: 'text',
    currency: 'text',
    total: 'text',
    amount_due: 'text',
    tax_total: 'text',
  },
  async plan(ctx, tx, table, query) {
    const settings = await getSettings(tx, ctx);
    const openingDate = query.opening_date ?? ctx.today;
    if (!IsoDate.safeParse(openingDate).success)
      throw invalid('invalid_date', 'opening_date must be a date as YYYY-MM-DD.', 'opening_date');
    assertPeriodOpen(settings.books_closed_through, openingDate, 'opening_date');
    const all = await tx.select().from(customers).where(eq(customers.orgId, ctx.orgId));
    const byId = new Map(all.map((c) => [c.id, c]));
    const byEmail = new Map(all.filter((c) => c.email).map((c) => [c.email!.toLowerCase(), c]));
    const taken = new Set(
      (
        await tx
          .select({ number: invoices.number })
          .from(invoices)
          .where(sql`${invoices.orgId} = ${ctx.orgId} and ${invoices.number} is not null`)
      ).map((r) => r.number!),
    );
    const errors: RowError[] = [];
    const planned: Planned[] = [];
    for (const [i, raw] of table.rows.entries()) {
      const rowNo = i + 1;
      const err = (column: string, code: string, message: string) => {
        errors.push({ row: rowNo, column, code, message });
      };
      const { value, errors: typeErrors } = rowObject(raw, openInvoicesImport.columns, rowNo);
      errors.push(...typeErrors);
      const { data, errors: rowErrors } = checkRow(OpenInvoiceRow, value, rowNo);
      errors.push(...rowErrors);
      if (!data) continue;
      const customer = byId.get(data.customer) ?? byEmail.get(data.customer.toLowerCase());
      if (!customer) {
        err('customer', 'not_found', `No customer with id or email ${data.customer}.`);
        continue;
      }
      const currency = data.currency ?? customer.currency;
      if (currency !== customer.currency) {
        err('currency', 'currency_mismatch', `${customer.name} is invoiced in ${customer.currency}.`);
        continue;
      }
      const money = (column: 'total' | 'amount_due' | 'tax_total', text: string) => {
        const v = parseAmount(text, currency);
        if (!v) err(column, 'invalid', `"${text}" is not an amount in ${currency}.`);
        return v;
      };
      const total = money('total', data.total);
      const due = money('amount_due', data.amount_due);
      const tax = money('tax_total', data.tax_total ?? '0');
      if (!total || !due || !tax) continue;
      if (total.isNegative()) {
        err('total', 'invalid', 'The total of an open invoice is not negative.');
        continue;
      }
      if (!due.greaterThan(0)) {
        err('amount_due', 'invalid', 'Only invoices with something due are imported.');
        continue;
      }
      if (due.greaterThan(total)) {
        err('amount_due', 'invalid', 'amount_due is more than the total.');
        continue;
      }
      if (tax.isNegative() || tax.greaterThan(total)) {
        err('tax_total', 'invalid', 'tax_total lies between 0 and the total.');
        continue;
      }
      if (data.due_date < data.issue_date) {
        err('due_date', 'invalid', 'due_date is before issue_date.');
        continue;
      }
      if (data.issue_date > openingDate) {
        err('issue_date', 'invalid', `issue_date is after the opening date ${openingDate}.`);
        continue;
      }
      if (taken.has(data.number)) {
        err('number', 'number_taken', `An invoice numbered ${data.number} exists already.`);
        continue;
      }
      taken.add(data.number);
      planned.push({
        id: newId('inv'),
        customer,
        number: data.number,
        issueDate: data.issue_date,
        dueDate: data.due_date,
        total: formatAmount(total, currency),
        taxTotal: formatAmount(tax, currency),
        amountDue: formatAmount(due, currency),
        paidBefore: formatAmount(total.minus(due), currency),
      });
    }
    return {
      errors,
      created: planned.length,
      updated: 0,
      write: async () => {
        const now = ctx.clock.now();
        const batch = newId('imp');
        const rows = planned.map((p) => {
          const currency = p.customer.currency;
          const subtotal = formatAmount(dec(p.total).minus(p.taxTotal), currency);
          const rate = { id: 'import', category: 'S' as const, percentage: '0', exemption_reason: null };
          return {
            id: p.id,
            orgId: ctx.orgId,
            customerId: p.customer.id,
            number: p.number,
            series: 'import',
            seq: null,
            status: 'posted',
            currency,
            issueDate: p.issueDate,
            dueDate: p.dueDate,
            lines: [
              {
                id: newId('line'),
                description: `Opening balance of ${p.number}`,
                product: null,
                quantity: '1',
                unit: 'C62',
                unit_price: subtotal,
                price_base_quantity: '1',
                discount_percent: null,
                allowances_charges: [],
                tax_rate: rate,
                amount: subtotal,
                period: null,
              },
            ],
            allowancesCharges: [],
            taxBreakdown: dec(p.taxTotal).isZero()
              ? []
              : [
                  {
                    category: rate.category,
                    percentage: rate.percentage,
                    exemption_reason: null,
                    tax_rate: 'import',
                    taxable_amount: subtotal,
                    tax_amount: p.taxTotal,
                  },
                ],
            subtotal,
            taxTotal: p.taxTotal,
            total: p.total,
            amountPaid: p.paidBefore,
            paidBeforeImport: p.paidBefore,
            amountDue: p.amountDue,
            customerSnapshot: {
              name: p.customer.name,
              email: p.customer.email,
              address: p.customer.billingAddress,
              tax_id: p.customer.taxId,
              peppol_id: p.customer.peppolId,
            },
            sellerSnapshot: {
              name: settings.legal_name,
              email: settings.email,
              address: settings.address,
              tax_id: settings.tax_id,
              peppol_id: settings.peppol_id,
              iban: settings.iban,
              bic: settings.bic,
              phone: settings.phone,
            },
            sourceType: 'import',
            sourceId: batch,
            hostedToken: newToken(24),
            createdBy: ctx.userId,
            createdAt: now,
            postedAt: now,
            openingDate,
          };
        });
        for (let i = 0; i < rows.length; i += 500) await tx.insert(invoices).values(rows.slice(i, i + 500));
        await recordEntries(
          tx,
          ctx,
          planned.map((p) =>
            openingBalanceImported({
              id: p.id,
              number: p.number,
              openingDate,
              currency: p.customer.currency,
              amountDue: p.amountDue,
            }),
          ),
        );
        await insertEvents(
          tx,
          ctx,
          planned.map((p) => ({
            type: 'invoice.imported',
            object: { type: 'invoice', id: p.id },
            data: { number: p.number, amount_due: p.amountDue, opening_date: openingDate, import: batch },
          })),
        );
      },
    };
  },
};
