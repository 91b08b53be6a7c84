import { getCreditNote } from '../credit-notes/service';
import { renderInvoiceRowPdf } from '../documents/service';
import { getInvoice } from '../invoicing/service';
import { formatAmount } from '../money/money';
import type { RequestContext } from '../platform/context';
import { unprocessable } from '../platform/errors';
import { serializeCii } from './cii';
import { CURRENCY_NOT_SUPPORTED, EInvoiceError } from './en16931-checks';
import { attachFacturX } from './facturx';
import { creditNoteDocumentOf, invoiceDocumentOf } from './from-invoice';
import type { InvoiceDocument } from './types';
import { checkedModel, serializeUbl } from './ubl';
import type { UblModel } from './ubl-model';

// E-invoices of posted documents: rendered from the stored rows and their snapshots, never served
// when they would break an EN 16931 rule.

type Ctx = Pick<RequestContext, 'db' | 'orgId' | 'today' | 'publicUrl'>;

/** The checked model; a rule violation becomes the API's 422 naming the rule. */
function modelOf(doc: InvoiceDocument, stored: { total: string; taxTotal: string }): UblModel {
  let model: UblModel;
  try {
    model = checkedModel(doc);
  } catch (err) {
    if (!(err instanceof EInvoiceError)) throw err;
    if (err.code === CURRENCY_NOT_SUPPORTED)
      throw unprocessable(
        CURRENCY_NOT_SUPPORTED,
        `${doc.currency} amounts have more than 2 decimals, which an EN 16931 e-invoice cannot express.`,
        'currency',
      );
    const rules = err.violations.map((v) => v.rule);
    throw unprocessable(
      err.code,
      `The e-invoice would break EN 16931: ${err.violations.map((v) => `${v.rule}: ${v.message}`).join(' ')}`,
      rules[0] ?? null,
    );
  }
  // The e-invoice recomputes the amounts from the stored lines; it must say what the stored document says.
  const payable = formatAmount(model.totals.payable ?? 0, doc.currency);
  const tax = formatAmount(model.taxTotal ?? 0, doc.currency);
  if (payable !== formatAmount(stored.total, doc.currency) || tax !== formatAmount(stored.taxTotal, doc.currency))
    throw new Error(
      `${doc.kind} ${doc.number}: the e-invoice totals ${payable}/${tax} differ from the stored ${stored.total}/${stored.taxTotal}.`,
    );
  return model;
}

/** Whether a posted invoice can be served as an e-invoice (it passes the EN 16931 checks); nothing is serialized. */
export function einvoiceAvailable(
  row: Parameters<typeof invoiceDocumentOf>[0] & { total: string; taxTotal: string },
): boolean {
  try {
    modelOf(invoiceDocumentOf(row), row);
    return true;
  } catch {
    return false;
  }
}

/** An open invoice imported from a previous system has no lines an e-invoice could carry. */
function assertNotImported(row: { sourceType: string | null; number: string | null }): void {
  if (row.sourceType === 'import')
    throw unprocessable(
      'imported_invoice',
      `Invoice ${row.number} was imported as an opening balance; its e-invoice is the one the previous system issued.`,
      'id',
    );
}

export async function invoiceUbl(ctx: Ctx, id: string): Promise<{ xml: string; filename: string }> {
  const row = await getInvoice(ctx.db, ctx, id);
  assertNotImported(row);
  const doc = invoiceDocumentOf(row);
  return { xml: serializeUbl(modelOf(doc, row)), filename: `${doc.number}.xml` };
}

export async function creditNoteUbl(ctx: RequestContext, id: string): Promise<{ xml: string; filename: string }> {
  const note = await getCreditNote(ctx.db, ctx, id);
  const invoice = await getInvoice(ctx.db, ctx, note.invoiceId);
  const doc = creditNoteDocumentOf(note, invoice);
  return { xml: serializeUbl(modelOf(doc, note)), filename: `${doc.number}.xml` };
}

/** The invoice PDF as Factur-X (EN 16931 profile): PDF/A-3b with the CII of the checked model attached. */
export async function invoiceFacturX(ctx: Ctx, id: string): Promise<{ pdf: Buffer; filename: string }> {
  const row = await getInvoice(ctx.db, ctx, id);
  assertNotImported(row);
  const doc = invoiceDocumentOf(row);
  const model = modelOf(doc, row);
  const visible = await renderInvoiceRowPdf(ctx, row);
  const pdf = attachFacturX(visible, serializeCii(model), { conformanceLevel: 'EN 16931' });
  return { pdf, filename: `${doc.number}.pdf` };
}
