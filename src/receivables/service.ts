import { lockInvoice } from '../invoicing/invoice-store';
import type { InvoiceRow } from '../invoicing/tables';
import { writtenOff } from '../ledger/entries';
import { recordEntries } from '../ledger/journal-store';
import { minorUnits } from '../money/currencies';
import { formatAmount, parseAmount } from '../money/money';
import { assertPeriodOpenIn, getSettings } from '../organizations/service';
import type { RequestContext } from '../platform/context';
import type { Tx } from '../platform/db';
import { conflict, invalid } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { recordWriteOff } from './applications-store';
import { writeOffs } from './tables';

/** Writes a small remaining difference off an open invoice (at most settings.write_off_limit). */
export async function writeOff(
  ctx: RequestContext,
  id: string,
  input: { amount: string; reason?: string | null | undefined },
): Promise<InvoiceRow> {
  return ctx.db.transaction((tx) => writeOffIn(tx, ctx, id, input));
}

/** writeOff, in the caller's transaction. */
export async function writeOffIn(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  input: { amount: string; reason?: string | null | undefined },
): Promise<InvoiceRow> {
  const inv = await lockInvoice(tx, ctx, id);
  await assertPeriodOpenIn(tx, ctx.orgId, ctx.today, null);
  const settings = await getSettings(tx, ctx);
  const amount = parseAmount(input.amount, inv.currency);
  if (!amount)
    throw invalid(
      'amount_precision',
      `${inv.currency} amounts have at most ${minorUnits(inv.currency)} decimals.`,
      'amount',
    );
  if (inv.status !== 'posted')
    throw conflict(
      'invoice_not_open',
      `Only an open posted invoice can have a difference written off (this one is ${inv.status}).`,
    );
  if (amount.greaterThan(inv.amountDue))
    throw conflict('write_off_exceeds_amount_due', `${input.amount} is more than the ${inv.amountDue} due.`, 'amount');
  if (amount.greaterThan(settings.write_off_limit))
    throw conflict(
      'write_off_above_limit',
      `Write-offs are limited to ${settings.write_off_limit} (settings.write_off_limit); use a credit note or mark it uncollectible.`,
      'amount',
    );
  const woId = newId('wo');
  const value = formatAmount(amount, inv.currency);
  await tx.insert(writeOffs).values({
    id: woId,
    orgId: ctx.orgId,
    createdAt: ctx.clock.now(),
    invoiceId: id,
    amount: value,
    reason: input.reason ?? null,
    date: ctx.today,
  });
  await recordEntries(tx, ctx, [
    writtenOff({ id: woId, date: ctx.today, currency: inv.currency, amount: value, invoiceNumber: inv.number! }),
  ]);
  await recordEvent(
    tx,
    ctx,
    'invoice.written_off',
    { type: 'invoice', id },
    { amount: value, reason: input.reason ?? null },
  );
  return recordWriteOff(tx, ctx, inv, amount, ctx.today);
}
