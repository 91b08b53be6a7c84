import { z } from 'zod';
import { IsoDate } from '../platform/schemas';
import type { billRunErrors, billRuns } from './tables';

export const BillRunIn = z.object({
  target_date: IsoDate.meta({ description: 'Bill every period due on or before this date (may lie in the future)' }),
  invoice_date: IsoDate.optional().meta({ description: 'Issue date of the invoices (default: each billing date)' }),
  auto_post: z.boolean().optional().meta({ description: 'Default: each subscription’s auto_post' }),
  auto_send: z.boolean().optional().meta({ description: 'Default: each subscription’s auto_send' }),
  dry_run: z.boolean().optional().meta({ description: 'Answer what the run would bill; write nothing' }),
});

export const BillRunPreviewOut = z.object({
  subscriptions: z.array(
    z.object({
      subscription: z.string(),
      customer: z.string(),
      customer_name: z.string(),
      currency: z.string(),
      billing_date: z.string(),
      issue_date: z.string().nullable(),
      period: z.object({ start: z.string(), end: z.string() }).nullable(),
      subtotal: z.string(),
      tax_total: z.string(),
      total: z.string(),
    }),
  ),
  errors: z.array(z.object({ subscription: z.string(), code: z.string(), message: z.string() })),
});
export type BillRunIn = z.output<typeof BillRunIn>;

export const BillRunStatus = z.enum(['pending', 'running', 'completed', 'completed_with_errors']);

export const BillRunOut = z.object({
  id: z.string(),
  status: BillRunStatus,
  target_date: z.string(),
  invoice_date: z.string().nullable(),
  auto_post: z.boolean().nullable(),
  auto_send: z.boolean().nullable(),
  trigger: z.enum(['api', 'schedule', 'cli']),
  processed: z.number().int().meta({ description: 'Subscriptions looked at (counted per finished chunk)' }),
  invoices_created: z.number().int(),
  errors: z.array(z.object({ subscription: z.string(), code: z.string(), message: z.string() })),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
export type BillRunOut = z.infer<typeof BillRunOut>;

export type BillRunRow = typeof billRuns.$inferSelect;
export type BillRunErrorRow = typeof billRunErrors.$inferSelect;

export interface BillRunDetail {
  run: BillRunRow;
  processed: number;
  invoicesCreated: number;
  errors: BillRunErrorRow[];
}

export function billRunOut(d: BillRunDetail): BillRunOut {
  const { run } = d;
  return {
    id: run.id,
    status: run.status as BillRunOut['status'],
    target_date: run.targetDate,
    invoice_date: run.invoiceDate,
    auto_post: run.autoPost,
    auto_send: run.autoSend,
    trigger: run.trigger as BillRunOut['trigger'],
    processed: d.processed,
    invoices_created: d.invoicesCreated,
    errors: d.errors.map((e) => ({ subscription: e.subscriptionId, code: e.code, message: e.message })),
    created_at: run.createdAt.toISOString(),
    started_at: run.startedAt?.toISOString() ?? null,
    finished_at: run.finishedAt?.toISOString() ?? null,
  };
}
