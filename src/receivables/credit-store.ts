import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { creditNotes } from '../credit-notes/tables';
import { customers } from '../crm/tables';
import { moneyRefunded } from '../ledger/entries';
import { recordEntries } from '../ledger/journal-store';
import { type Decimal, formatAmount } from '../money/money';
import { payments } from '../payments/tables';
import type { RequestContext } from '../platform/context';
import type { Queryable } from '../platform/db';
import { newId } from '../platform/ids';
import { refunds } from './tables';

type Ctx = Pick<RequestContext, 'orgId' | 'actor' | 'clock'>;

// The customer's credit: unapplied money of payments and credit notes. The one writer of unapplied amounts and of
// customers.credit_balance, which is always the sum of those unapplied amounts (checks: credit_balance_matches_documents).

export interface CreditSource {
  type: 'payment' | 'credit_note';
  id: string;
  unapplied: string;
}

/** Sets a payment's or credit note's unapplied amount; call syncCreditBalance for its customer before commit. */
export async function writeUnapplied(
  tx: Queryable,
  source: { type: 'payment' | 'credit_note'; id: string },
  amount: Decimal,
  currency: string,
): Promise<void> {
  const value = formatAmount(amount, currency);
  if (source.type === 'payment')
    await tx.update(payments).set({ unappliedAmount: value }).where(eq(payments.id, source.id));
  else await tx.update(creditNotes).set({ unappliedAmount: value }).where(eq(creditNotes.id, source.id));
}

/** Sets the customer's credit balance to the unapplied money of their payments and credit notes. */
export async function syncCreditBalance(tx: Queryable, customerId: string): Promise<void> {
  await tx
    .update(customers)
    .set({
      creditBalance: sql`(select coalesce(sum(${payments.unappliedAmount}), 0) from ${payments}
                      where ${payments.customerId} = ${customerId} and ${payments.status} = 'succeeded')
        + (select coalesce(sum(${creditNotes.unappliedAmount}), 0) from ${creditNotes}
                      where ${creditNotes.customerId} = ${customerId} and ${creditNotes.status} = 'issued')`,
    })
    .where(eq(customers.id, customerId));
}

/** Money paid back: a refunds row and its journal entry (customer credit to bank). */
export async function recordRefund(
  tx: Queryable,
  ctx: Ctx,
  r: {
    customerId: string;
    sourceType: 'payment' | 'credit_note';
    sourceId: string;
    amount: Decimal;
    currency: string;
    date: string;
    memo: string;
  },
): Promise<string> {
  const id = newId('ref');
  const amount = formatAmount(r.amount, r.currency);
  await tx.insert(refunds).values({
    id,
    orgId: ctx.orgId,
    createdAt: ctx.clock.now(),
    customerId: r.customerId,
    sourceType: r.sourceType,
    sourceId: r.sourceId,
    amount,
    date: r.date,
  });
  await recordEntries(tx, ctx, [moneyRefunded({ id, date: r.date, currency: r.currency, amount, memo: r.memo })]);
  return id;
}

/** What makes up the customer's credit balance, FOR UPDATE, in the order it is used: payments oldest first, then credit notes. */
export async function lockCreditSources(tx: Queryable, ctx: Ctx, customerId: string): Promise<CreditSource[]> {
  const paymentRows = await tx
    .select({ id: payments.id, unapplied: payments.unappliedAmount })
    .from(payments)
    .where(
      and(
        eq(payments.orgId, ctx.orgId),
        eq(payments.customerId, customerId),
        eq(payments.status, 'succeeded'),
        gt(payments.unappliedAmount, '0'),
      ),
    )
    .orderBy(asc(payments.date), asc(payments.createdAt), asc(payments.id))
    .for('update');
  const noteRows = await tx
    .select({ id: creditNotes.id, unapplied: creditNotes.unappliedAmount })
    .from(creditNotes)
    .where(
      and(
        eq(creditNotes.orgId, ctx.orgId),
        eq(creditNotes.customerId, customerId),
        eq(creditNotes.status, 'issued'),
        gt(creditNotes.unappliedAmount, '0'),
      ),
    )
    .orderBy(asc(creditNotes.issueDate), asc(creditNotes.createdAt), asc(creditNotes.id))
    .for('update');
  return [
    ...paymentRows.map((r) => ({ type: 'payment' as const, ...r })),
    ...noteRows.map((r) => ({ type: 'credit_note' as const, ...r })),
  ];
}
