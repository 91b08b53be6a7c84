import { and, desc, eq, gt, lt, lte, notExists, type SQL, sql } from 'drizzle-orm';
import { assignTaskIn } from '../activities/service';
import { taxRates } from '../catalog/tables';
import { assertMayChange as assertMayChangeCustomer, getCustomer } from '../crm/service';
import { customers } from '../crm/tables';
import { enqueueEmail } from '../email/outbox-store';
import { invoiceRecipients, invoiceTemplateVars, messageDomain } from '../email/service';
import { renderTemplate } from '../email/templates';
import { lockInvoice } from '../invoicing/invoice-store';
import { createDraft, postInvoice } from '../invoicing/service';
import { invoices } from '../invoicing/tables';
import { minorUnits } from '../money/currencies';
import { dec, formatAmount, parseAmount, roundMoney } from '../money/money';
import { getSettings } from '../organizations/service';
import type { RequestContext } from '../platform/context';
import { type Db, type Queryable, rows, type Tx } from '../platform/db';
import { conflict, invalid, notFound, unprocessable } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { afterCursor, type PageQuery, toPage } from '../platform/pagination';
import { organizations } from '../platform/tables';
import { planReminder, policyOf, type ReminderPolicy, type ReminderStep } from './policy';
import type { PromiseRow } from './promise-store';
import type { PromiseIn, WorklistItem, WorklistQuery } from './schemas';
import { paymentPromises, reminders } from './tables';

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
  /** Open promises dated before as_of that this run found broken (before any reminder was planned). */
  promises_broken: number;
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
  // Broken promises first (not in a dry run): their invoices are chased again in this very run.
  const promisesBroken = dryRun ? 0 : await breakPromises(ctx, asOf);
  const result: RunResult = {
    as_of: asOf,
    dry_run: dryRun,
    sent: 0,
    skipped: 0,
    promises_broken: promisesBroken,
    reminders: [],
    errors: [],
  };
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
        // While the customer has promised to pay, nothing is sent nor skipped.
        notExists(
          ctx.db
            .select({ one: sql`1` })
            .from(paymentPromises)
            .where(and(eq(paymentPromises.invoiceId, invoices.id), eq(paymentPromises.status, 'open'))),
        ),
      ),
    )
    .orderBy(invoices.dueDate, invoices.id);
  const remindOne = async (tx: Tx, id: string) => {
    const inv = await lockInvoice(tx, ctx, id);
    if (inv.status !== 'posted' || inv.disputed || inv.remindersPaused || dec(inv.amountDue).isZero()) return;
    if (await openPromiseOf(tx, id)) return; // promised since the candidates were read
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

// --- promises to pay ---

async function openPromiseOf(q: Queryable, invoiceId: string): Promise<PromiseRow | undefined> {
  const [row] = await q
    .select()
    .from(paymentPromises)
    .where(and(eq(paymentPromises.invoiceId, invoiceId), eq(paymentPromises.status, 'open')));
  return row;
}

export async function createPromise(ctx: RequestContext, invoiceId: string, input: PromiseIn) {
  return ctx.db.transaction((tx) => createPromiseIn(tx, ctx, invoiceId, input));
}

/** A customer's promise to pay part or all of a posted invoice's amount due by a date (today or later). */
export async function createPromiseIn(
  tx: Tx,
  ctx: RequestContext,
  invoiceId: string,
  input: PromiseIn,
): Promise<{ promise: PromiseRow; currency: string }> {
  if (input.date < ctx.today)
    throw invalid('promise_date_in_past', `A promise is for today (${ctx.today}) or a later day.`, 'date');
  const inv = await lockInvoice(tx, ctx, invoiceId);
  if (ctx.role === 'sales') assertMayChangeCustomer(ctx, await getCustomer(tx, ctx, inv.customerId));
  if (inv.status !== 'posted' || !dec(inv.amountDue).greaterThan(0))
    throw conflict(
      'invoice_not_open',
      `Only a posted invoice with an amount due can have a promise to pay (this one is ${inv.status}${inv.status === 'posted' ? ', with nothing due' : ''}).`,
    );
  const open = await openPromiseOf(tx, inv.id);
  if (open)
    throw conflict(
      'promise_already_open',
      `Invoice ${inv.number} already has an open promise to pay ${formatAmount(open.amount, inv.currency)} by ${open.date}.`,
    );
  const amount = parseAmount(input.amount, inv.currency);
  if (!amount)
    throw invalid(
      'amount_precision',
      `${inv.currency} amounts are decimals with at most ${minorUnits(inv.currency)} decimal places.`,
      'amount',
    );
  if (!amount.greaterThan(0) || amount.greaterThan(inv.amountDue))
    throw conflict(
      'promise_amount_out_of_range',
      `A promise is for more than 0 and at most the ${formatAmount(inv.amountDue, inv.currency)} due.`,
      'amount',
    );
  const [promise] = await tx
    .insert(paymentPromises)
    .values({
      id: newId('ptp'),
      orgId: ctx.orgId,
      createdAt: ctx.clock.now(),
      invoiceId: inv.id,
      amount: formatAmount(amount, inv.currency),
      date: input.date,
      note: input.note ?? null,
      status: 'open',
      createdOn: ctx.today,
      createdBy: ctx.userId ?? ctx.actor.id,
    })
    .returning();
  await recordEvent(
    tx,
    ctx,
    'invoice.promise_created',
    { type: 'invoice', id: inv.id },
    { promise: promise!.id, amount: promise!.amount, date: promise!.date },
  );
  return { promise: promise!, currency: inv.currency };
}

export async function listPromises(ctx: RequestContext, invoiceId: string, page: PageQuery) {
  const [inv] = await ctx.db
    .select({ currency: invoices.currency })
    .from(invoices)
    .where(and(eq(invoices.id, invoiceId), eq(invoices.orgId, ctx.orgId)));
  if (!inv) throw notFound('invoice', invoiceId);
  const cursor = await afterCursor(ctx.db, paymentPromises, ctx.orgId, page.starting_after);
  const rows = await ctx.db
    .select()
    .from(paymentPromises)
    .where(and(eq(paymentPromises.invoiceId, invoiceId), eq(paymentPromises.orgId, ctx.orgId), cursor))
    .orderBy(desc(paymentPromises.createdAt), desc(paymentPromises.id))
    .limit(page.limit + 1);
  return { ...toPage(rows, page.limit), currency: inv.currency };
}

/**
 * As of `asOf`: each open promise dated before it is broken, once (invoice.promise_broken, and a task for the
 * customer's owner due that day, so the chase resumes); one whose invoice has nothing due any more is cancelled.
 * One transaction per promise; a promise already settled by a concurrent run is left alone.
 */
export async function breakPromises(ctx: RequestContext, asOf: string): Promise<number> {
  const due = await ctx.db
    .select({ id: paymentPromises.id, invoiceId: paymentPromises.invoiceId })
    .from(paymentPromises)
    .where(
      and(eq(paymentPromises.orgId, ctx.orgId), eq(paymentPromises.status, 'open'), lt(paymentPromises.date, asOf)),
    )
    .orderBy(paymentPromises.date, paymentPromises.id);
  let broken = 0;
  for (const { id, invoiceId } of due) {
    await ctx.db.transaction(async (tx) => {
      const inv = await lockInvoice(tx, ctx, invoiceId);
      const [p] = await tx.select().from(paymentPromises).where(eq(paymentPromises.id, id)).for('update');
      if (p?.status !== 'open') return;
      const money = { promise: p.id, amount: formatAmount(p.amount, inv.currency), date: p.date };
      if (dec(inv.amountDue).isZero()) {
        await tx
          .update(paymentPromises)
          .set({ status: 'cancelled', resolvedAt: ctx.clock.now() })
          .where(eq(paymentPromises.id, id));
        await recordEvent(tx, ctx, 'invoice.promise_cancelled', { type: 'invoice', id: inv.id }, money);
        return;
      }
      await tx
        .update(paymentPromises)
        .set({ status: 'broken', resolvedAt: ctx.clock.now() })
        .where(eq(paymentPromises.id, id));
      const customer = await getCustomer(tx, ctx, inv.customerId);
      const task = await assignTaskIn(tx, ctx, {
        subject: `Promise to pay broken: invoice ${inv.number}`,
        body: `${customer.name} promised to pay ${money.amount} ${inv.currency} by ${p.date}; ${formatAmount(inv.amountDue, inv.currency)} is still due.`,
        due_date: asOf,
        owner: customer.ownerId,
        related: { type: 'invoice', id: inv.id },
      });
      await recordEvent(
        tx,
        ctx,
        'invoice.promise_broken',
        { type: 'invoice', id: inv.id },
        { ...money, as_of: asOf, task: task.id },
      );
      broken++;
    });
  }
  return broken;
}

/** Organizations with an open promise (for the daily run, whatever their reminder policy). */
export async function organizationsWithOpenPromises(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ orgId: paymentPromises.orgId })
    .from(paymentPromises)
    .where(eq(paymentPromises.status, 'open'));
  return rows.map((r) => r.orgId);
}

// --- the collections worklist ---

interface WorklistRow {
  invoice: string;
  number: string | null;
  customer: string;
  customer_name: string;
  owner: string | null;
  currency: string;
  amount_due: string;
  due_date: string;
  days_overdue: number;
  disputed: boolean;
  last_reminder_at: Date | string | null;
  last_activity_at: Date | string | null;
  promise_id: string | null;
  promise_amount: string | null;
  promise_date: string | null;
  customer_total_overdue: string;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/**
 * Posted invoices with an amount due, due before `as_of`: by currency (the base currency first, then alphabetical),
 * then amount_due × days_overdue descending, then due date, then number. `starting_after` is an invoice id.
 */
export async function worklist(
  ctx: RequestContext,
  q: WorklistQuery,
): Promise<{ data: WorklistItem[]; has_more: boolean }> {
  const asOf = q.as_of ?? ctx.today;
  const base = (await getSettings(ctx.db, ctx)).base_currency;
  const owner = q.owner === 'me' ? ctx.userId : q.owner;
  // One sort key for every row, all ascending, so a cursor is one row comparison.
  const keys = (i: SQL) => sql`(case when ${i}.currency = ${base} then 0 else 1 end), ${i}.currency,
    -(${i}.amount_due * (${asOf}::date - ${i}.due_date)), ${i}.due_date, ${i}.number, ${i}.id`;
  const filters = sql.join(
    [
      sql`i.org_id = ${ctx.orgId} and i.status = 'posted' and i.amount_due > 0 and i.due_date < ${asOf}::date`,
      ...(q.owner !== undefined ? [owner ? sql`c.owner_id = ${owner}` : sql`false`] : []),
      ...(q.currency ? [sql`i.currency = ${q.currency}`] : []),
      ...(q.starting_after
        ? [
            sql`(${keys(sql`i`)}) > (select ${keys(sql`k`)} from invoices k
                 where k.id = ${q.starting_after} and k.org_id = ${ctx.orgId})`,
          ]
        : []),
    ],
    sql` and `,
  );
  if (q.starting_after) {
    const [known] = await ctx.db
      .select({ id: invoices.id })
      .from(invoices)
      .where(and(eq(invoices.id, q.starting_after), eq(invoices.orgId, ctx.orgId)));
    if (!known)
      throw invalid('invalid_cursor', `starting_after ${q.starting_after} is not in this list.`, 'starting_after');
  }
  const found = await rows<WorklistRow>(
    ctx.db,
    sql`select i.id as invoice, i.number, i.customer_id as customer, c.name as customer_name, c.owner_id as owner,
          i.currency, i.amount_due::text as amount_due, i.due_date::text as due_date,
          (${asOf}::date - i.due_date) as days_overdue, i.disputed,
          (select max(r.created_at) from reminders r where r.invoice_id = i.id and r.status = 'sent') as last_reminder_at,
          (select max(greatest(a.created_at, a.done_at)) from activities a
             where a.related_id in (i.id, i.customer_id) and a.org_id = i.org_id) as last_activity_at,
          p.id as promise_id, p.amount::text as promise_amount, p.date::text as promise_date,
          (select coalesce(sum(o.amount_due), 0)::text from invoices o
             where o.org_id = i.org_id and o.customer_id = i.customer_id and o.status = 'posted'
               and o.amount_due > 0 and o.due_date < ${asOf}::date) as customer_total_overdue
        from invoices i
        join customers c on c.id = i.customer_id
        left join payment_promises p on p.invoice_id = i.id and p.status = 'open'
        where ${filters}
        order by ${keys(sql`i`)}
        limit ${q.limit + 1}`,
  );
  const data = found.slice(0, q.limit).map((r) => ({
    invoice: r.invoice,
    number: r.number,
    customer: r.customer,
    customer_name: r.customer_name,
    owner: r.owner,
    currency: r.currency,
    amount_due: formatAmount(r.amount_due, r.currency),
    due_date: r.due_date,
    days_overdue: Number(r.days_overdue),
    disputed: r.disputed,
    last_reminder_at: iso(r.last_reminder_at),
    last_activity_at: iso(r.last_activity_at),
    open_promise:
      r.promise_id && r.promise_amount && r.promise_date
        ? { id: r.promise_id, amount: formatAmount(r.promise_amount, r.currency), date: r.promise_date }
        : null,
    customer_total_overdue: formatAmount(r.customer_total_overdue, r.currency),
  }));
  return { data, has_more: found.length > q.limit };
}
