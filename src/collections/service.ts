import { and, eq, gt, lte, sql } from 'drizzle-orm';
import { taxRates } from '../catalog/tables';
import { customers } from '../crm/tables';
import { enqueueEmail } from '../email/outbox-store';
import { invoiceRecipients, invoiceTemplateVars, messageDomain } from '../email/service';
import { renderTemplate } from '../email/templates';
import { lockInvoice } from '../invoicing/invoice-store';
import { createDraft, postInvoice } from '../invoicing/service';
import { invoices } from '../invoicing/tables';
import { dec, formatAmount, roundMoney } from '../money/money';
import type { RequestContext } from '../platform/context';
import type { Db, Queryable } from '../platform/db';
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

export interface RunResult {
  as_of: string;
  sent: number;
  skipped: number;
  reminders: { invoice: string; step: number; offset_days: number; email: string; late_fee_invoice: string | null }[];
}

/** The tax rate of late fees: category O (outside the scope of VAT), made once per organization. */
async function lateFeeTaxRate(tx: Queryable, orgId: string, now: Date): Promise<string> {
  const [existing] = await tx
    .select({ id: taxRates.id })
    .from(taxRates)
    .where(and(eq(taxRates.orgId, orgId), eq(taxRates.category, 'O'), eq(taxRates.active, true)))
    .limit(1);
  if (existing) return existing.id;
  const id = newId('txr');
  await tx.insert(taxRates).values({
    id,
    orgId,
    createdAt: now,
    name: 'Late fee (outside the scope of VAT)',
    percentage: '0',
    category: 'O',
    exemptionReason: 'Late payment fee, not subject to VAT',
  });
  return id;
}

async function chargeLateFee(
  ctx: RequestContext,
  tx: Queryable,
  inv: typeof invoices.$inferSelect,
  step: ReminderStep,
): Promise<string | null> {
  if (!step.late_fee) return null;
  const fee = step.late_fee.amount
    ? roundMoney(step.late_fee.amount, inv.currency)
    : roundMoney(dec(inv.amountDue).times(step.late_fee.percent!).div(100), inv.currency);
  if (fee.isZero()) return null;
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
          unit_price: formatAmount(fee, inv.currency),
          tax_rate: await lateFeeTaxRate(tx, ctx.orgId, ctx.clock.now()),
        },
      ],
    },
    { type: 'invoice', id: inv.id },
  );
  return (await postInvoice(nested, draft.id)).id;
}

/**
 * Sends, for each open posted invoice whose customer and invoice are not paused or disputed, the latest step due on
 * `asOf` that was not sent before; earlier unsent steps are recorded as skipped. One transaction per invoice; the
 * unique (invoice, step) row makes a step happen at most once, whatever runs at the same time.
 */
export async function runReminders(ctx: RequestContext, asOf: string, smtpConfigured: boolean): Promise<RunResult> {
  const policy = await getPolicy(ctx.db, ctx);
  const result: RunResult = { as_of: asOf, sent: 0, skipped: 0, reminders: [] };
  if (policy.steps.length === 0) return result;
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
    );
  for (const { id } of candidates) {
    await ctx.db.transaction(async (tx) => {
      const inv = await lockInvoice(tx, ctx, id);
      if (inv.status !== 'posted' || inv.disputed || inv.remindersPaused || dec(inv.amountDue).isZero()) return;
      const done = await tx.select({ step: reminders.step }).from(reminders).where(eq(reminders.invoiceId, id));
      const plan = planReminder(policy.steps, inv.dueDate!, asOf, new Set(done.map((d) => d.step)));
      if (plan.send === null) return;
      for (const step of plan.skip) {
        await tx.insert(reminders).values({
          id: newId('rem'),
          orgId: ctx.orgId,
          createdAt: ctx.clock.now(),
          invoiceId: id,
          step,
          offsetDays: policy.steps[step]!.offset_days,
          status: 'skipped',
          asOf,
        });
        result.skipped++;
      }
      const step = policy.steps[plan.send]!;
      const lateFeeInvoice = await chargeLateFee(ctx, tx, inv, step);
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
        attachments: [{ kind: 'invoice_pdf', id }],
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
      result.sent++;
      result.reminders.push({
        invoice: id,
        step: plan.send,
        offset_days: step.offset_days,
        email: email.id,
        late_fee_invoice: lateFeeInvoice,
      });
    });
  }
  return result;
}

/** Organizations whose reminder policy is on (for the daily job). */
export async function organizationsWithReminders(db: Db): Promise<{ id: string; settings: unknown }[]> {
  const rows = await db
    .select({ id: organizations.id, settings: organizations.settings, policy: organizations.reminderPolicy })
    .from(organizations);
  return rows.filter((r) => policyOf(r.policy).enabled).map(({ id, settings }) => ({ id, settings }));
}
