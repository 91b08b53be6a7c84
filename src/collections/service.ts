import { and, eq, gt, lte, sql } from 'drizzle-orm';
import { customers } from '../crm/tables';
import { enqueueEmail } from '../email/outbox-store';
import { invoiceRecipients, invoiceTemplateVars, messageDomain } from '../email/service';
import { renderTemplate } from '../email/templates';
import { lockInvoice } from '../invoicing/invoice-store';
import { createDraft, postInvoice } from '../invoicing/service';
import { invoices } from '../invoicing/tables';
import { dec, formatAmount, roundMoney } from '../money/money';
import { getSettings } from '../organizations/service';
import type { RequestContext } from '../platform/context';
import type { Db, Queryable, Tx } from '../platform/db';
import { unprocessable } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { organizations } from '../platform/tables';
import { planReminder, policyOf, type ReminderPolicy, type ReminderStep } from './policy';
import { reminders } from './tables';

export async function getPolicy(q: Queryable, ctx: Pick<RequestContext, 'orgId'>): Promise<ReminderPolicy> {
  const [org] = await q
    .select({ policy: organizations.reminderPolicy })
    .from(organizations)
    .where(eq(organizations.id, ctx.orgId));
  return policyOf(org?.policy);
}

export async function putPolicy(ctx: RequestContext, policy: ReminderPolicy): Promise<ReminderPolicy> {
  const feeStep = policy.steps.findIndex((step) => step.late_fee);
  if (feeStep >= 0 && (await getSettings(ctx.db, ctx)).late_fee_tax_rate === null)
    throw unprocessable(
      'late_fee_tax_rate_missing',
      'Choose the tax rate of late fees in the settings (late_fee_tax_rate) before a step charges one.',
      `steps[${feeStep}].late_fee`,
    );
  for (const [i, step] of policy.steps.entries()) {
    try {
      await renderTemplate(step, {});
    } catch (err) {
      throw unprocessable('template_invalid', `Step ${i}: ${(err as Error).message}`, `steps[${i}]`);
    }
  }
  return ctx.db.transaction(async (tx) => {
    await tx.update(organizations).set({ reminderPolicy: policy }).where(eq(organizations.id, ctx.orgId));
    await recordEvent(
      tx,
      ctx,
      'settings.reminder_policy_updated',
      { type: 'organization', id: ctx.orgId },
      { enabled: policy.enabled, steps: policy.steps.length },
    );
    return policy;
  });
}

export interface RunReminder {
  invoice: string;
  invoice_number: string | null;
  customer: string;
  customer_name: string;
  currency: string;
  amount_due: string;
  to: string[];
  step: number;
  offset_days: number;
  /** null in a dry run: nothing is mailed. */
  email: string | null;
  late_fee: string | null;
  /** null in a dry run: nothing is numbered. */
  late_fee_invoice: string | null;
}

export interface RunResult {
  as_of: string;
  dry_run: boolean;
  sent: number;
  skipped: number;
  reminders: RunReminder[];
  errors: { invoice: string; code: string; message: string }[];
}

/** The late fee a step charges on an invoice (null: none). */
function lateFeeOf(inv: typeof invoices.$inferSelect, step: ReminderStep): string | null {
  if (!step.late_fee) return null;
  const fee = step.late_fee.amount
    ? roundMoney(step.late_fee.amount, inv.currency)
    : roundMoney(dec(inv.amountDue).times(step.late_fee.percent!).div(100), inv.currency);
  return fee.isZero() ? null : formatAmount(fee, inv.currency);
}

/** Posts the late-fee invoice (dated the run's day, the settings' late-fee tax rate); it is sent with the reminder. */
async function chargeLateFee(
  ctx: RequestContext,
  tx: Queryable,
  inv: typeof invoices.$inferSelect,
  fee: string,
  taxRate: string,
): Promise<string> {
  const nested = { ...ctx, db: tx as Db };
  const draft = await createDraft(
    nested,
    {
      customer: inv.customerId,
      issue_date: ctx.today,
      lines: [
        {
          description: `Late fee for invoice ${inv.number}`,
          quantity: '1',
          unit_price: fee,
          tax_rate: taxRate,
        },
      ],
    },
    { type: 'invoice', id: inv.id },
  );
  const posted = await postInvoice(nested, draft.id);
  await tx.update(invoices).set({ sentAt: ctx.clock.now() }).where(eq(invoices.id, posted.id));
  return posted.id;
}

/**
 * Sends, for each open posted invoice whose customer and invoice are not paused or disputed, the latest step due on
 * `asOf` that was not sent before; earlier unsent steps are recorded as skipped. One transaction per invoice; the
 * unique (invoice, step) row makes a step happen at most once, whatever runs at the same time.
 */
class DryRunRollback extends Error {}

export async function runReminders(
  ctx: RequestContext,
  asOf: string,
  smtpConfigured: boolean,
  opts: { dryRun?: boolean } = {},
): Promise<RunResult> {
  const dryRun = opts.dryRun === true;
  const policy = await getPolicy(ctx.db, ctx);
  const result: RunResult = { as_of: asOf, dry_run: dryRun, sent: 0, skipped: 0, reminders: [], errors: [] };
  if (policy.steps.length === 0) return result;
  const lateFeeTaxRate = (await getSettings(ctx.db, ctx)).late_fee_tax_rate;
  const minOffset = Math.min(...policy.steps.map((s) => s.offset_days));
  const candidates = await ctx.db
    .select({ id: invoices.id })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(
      and(
        eq(invoices.orgId, ctx.orgId),
        eq(invoices.status, 'posted'),
        gt(invoices.amountDue, '0'),
        eq(invoices.disputed, false),
        eq(invoices.remindersPaused, false),
        eq(customers.remindersPaused, false),
        lte(invoices.dueDate, sql`(${asOf}::date - ${minOffset}::int)`),
      ),
    )
    .orderBy(invoices.dueDate, invoices.id);
  const remindOne = async (tx: Tx, id: string) => {
    const inv = await lockInvoice(tx, ctx, id);
    if (inv.status !== 'posted' || inv.disputed || inv.remindersPaused || dec(inv.amountDue).isZero()) return;
    const done = await tx.select({ step: reminders.step }).from(reminders).where(eq(reminders.invoiceId, id));
    const plan = planReminder(policy.steps, inv.dueDate!, asOf, new Set(done.map((d) => d.step)));
    if (plan.send === null) return;
    const step = policy.steps[plan.send]!;
    const fee = lateFeeOf(inv, step);
    if (fee !== null && lateFeeTaxRate === null) {
      result.errors.push({
        invoice: id,
        code: 'late_fee_tax_rate_missing',
        message: `Invoice ${inv.number}: step ${plan.send} charges a late fee, but no late-fee tax rate is set; nothing was sent.`,
      });
      return;
    }
    for (const skipped of plan.skip) {
      await tx.insert(reminders).values({
        id: newId('rem'),
        orgId: ctx.orgId,
        createdAt: ctx.clock.now(),
        invoiceId: id,
        step: skipped,
        offsetDays: policy.steps[skipped]!.offset_days,
        status: 'skipped',
        asOf,
      });
      result.skipped++;
    }
    const lateFeeInvoice = fee === null ? null : await chargeLateFee(ctx, tx, inv, fee, lateFeeTaxRate!);
    const to = await invoiceRecipients(tx, ctx.orgId, inv.customerId);
    const mail = await renderTemplate(
      step,
      await invoiceTemplateVars(tx, ctx, inv, { step: { offset_days: step.offset_days }, as_of: asOf }),
    );
    const email = await enqueueEmail(tx, ctx, {
      orgId: ctx.orgId,
      customerId: inv.customerId,
      invoiceId: id,
      kind: 'reminder',
      to,
      cc: [],
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      attachments: [
        { kind: 'invoice_pdf', id },
        ...(lateFeeInvoice ? [{ kind: 'invoice_pdf' as const, id: lateFeeInvoice }] : []),
      ],
      smtpConfigured: smtpConfigured && to.length > 0,
      messageDomain: messageDomain(ctx.publicUrl),
    });
    await tx.insert(reminders).values({
      id: newId('rem'),
      orgId: ctx.orgId,
      createdAt: ctx.clock.now(),
      invoiceId: id,
      step: plan.send,
      offsetDays: step.offset_days,
      status: 'sent',
      asOf,
      emailId: email.id,
      lateFeeInvoiceId: lateFeeInvoice,
    });
    await recordEvent(
      tx,
      ctx,
      'invoice.reminded',
      { type: 'invoice', id },
      {
        step: plan.send,
        offset_days: step.offset_days,
        as_of: asOf,
        email: email.id,
        late_fee_invoice: lateFeeInvoice,
      },
    );
    const [customer] = await tx
      .select({ name: customers.name })
      .from(customers)
      .where(eq(customers.id, inv.customerId));
    result.sent++;
    result.reminders.push({
      invoice: id,
      invoice_number: inv.number,
      customer: inv.customerId,
      customer_name: customer?.name ?? '',
      currency: inv.currency,
      amount_due: formatAmount(inv.amountDue, inv.currency),
      to,
      step: plan.send,
      offset_days: step.offset_days,
      email: dryRun ? null : email.id,
      late_fee: fee,
      late_fee_invoice: dryRun ? null : lateFeeInvoice,
    });
  };
  if (!dryRun) {
    for (const { id } of candidates) await ctx.db.transaction((tx) => remindOne(tx, id));
    return result;
  }
  // A dry run does the same work in one transaction that is rolled back: the answer is the run's, nothing stays.
  await ctx.db
    .transaction(async (tx) => {
      for (const { id } of candidates) await tx.transaction((sp) => remindOne(sp, id));
      throw new DryRunRollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof DryRunRollback)) throw err;
    });
  return result;
}

/** Organizations whose reminder policy is on (for the daily job). */
export async function organizationsWithReminders(db: Db): Promise<{ id: string; settings: unknown }[]> {
  const rows = await db
    .select({ id: organizations.id, settings: organizations.settings, policy: organizations.reminderPolicy })
    .from(organizations);
  return rows.filter((r) => policyOf(r.policy).enabled).map(({ id, settings }) => ({ id, settings }));
}
