import { z } from 'zod';
import { DEFAULT_TEMPLATES } from '../email/templates';
import { daysBetween } from '../invoicing/dates';
import { decimalIn } from '../platform/schemas';

export const ReminderStep = z.object({
  offset_days: z
    .number()
    .int()
    .min(-365)
    .max(3650)
    .meta({ description: 'Days relative to the due date (negative: before it)' }),
  subject: z.string().min(1).max(500),
  body: z.string().min(1).max(20_000),
  late_fee: z
    .object({
      amount: decimalIn({ positive: true }).optional(),
      percent: decimalIn({ places: 4, positive: true }).optional(),
    })
    .refine((f) => (f.amount === undefined) !== (f.percent === undefined), {
      message: 'Give either amount or percent.',
    })
    .nullable()
    .optional(),
});

export const ReminderPolicy = z
  .object({ enabled: z.boolean(), steps: z.array(ReminderStep).max(10) })
  .refine((p) => new Set(p.steps.map((s) => s.offset_days)).size === p.steps.length, {
    message: 'Two steps have the same offset_days.',
    path: ['steps'],
  });
export type ReminderPolicy = z.output<typeof ReminderPolicy>;
export type ReminderStep = z.output<typeof ReminderStep>;

const t = DEFAULT_TEMPLATES.reminder;
export const DEFAULT_POLICY: ReminderPolicy = {
  enabled: false,
  steps: [
    {
      offset_days: -3,
      subject: 'Invoice {{ invoice.number }} is due on {{ invoice.due_date }}',
      body: t.body,
      late_fee: null,
    },
    { offset_days: 1, subject: t.subject, body: t.body, late_fee: null },
    {
      offset_days: 7,
      subject: 'Second reminder: invoice {{ invoice.number }} is overdue',
      body: t.body,
      late_fee: null,
    },
    {
      offset_days: 14,
      subject: 'Third reminder: invoice {{ invoice.number }} is overdue',
      body: t.body,
      late_fee: null,
    },
    { offset_days: 30, subject: 'Final reminder: invoice {{ invoice.number }}', body: t.body, late_fee: null },
  ],
};

export function policyOf(stored: unknown): ReminderPolicy {
  return (stored as ReminderPolicy | null) ?? DEFAULT_POLICY;
}

/**
 * What a run on `asOf` does for one invoice: the latest step that is due and not yet recorded is sent;
 * earlier due steps that were never recorded are skipped. Steps are identified by their index in offset order.
 */
export function planReminder(
  steps: { offset_days: number }[],
  dueDate: string,
  asOf: string,
  recorded: ReadonlySet<number>,
): { send: number | null; skip: number[] } {
  const order = steps.map((s, i) => ({ i, offset: s.offset_days })).sort((a, b) => a.offset - b.offset);
  const daysPastDue = daysBetween(dueDate, asOf);
  const due = order.filter((s) => s.offset <= daysPastDue);
  const latest = due.at(-1);
  if (!latest || recorded.has(latest.i)) return { send: null, skip: [] };
  return {
    send: latest.i,
    skip: due
      .slice(0, -1)
      .filter((s) => !recorded.has(s.i))
      .map((s) => s.i),
  };
}
