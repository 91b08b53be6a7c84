import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CsvFormatQuery, reportOrCsv } from '../platform/csv-list';
import { listOf } from '../platform/schemas';
import { AsOfQuery, JournalEntryOut, JournalListQuery, LedgerAccountOut, TrialBalanceOut } from './schemas';
import * as service from './service';

const tags = ['Ledger'];

export async function ledgerRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/journal_entries',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Journal entries, newest first; each balances',
        querystring: JournalListQuery,
        response: { 200: listOf(JournalEntryOut) },
      },
    },
    async (req) => service.listJournalEntries(req.ctx, req.query),
  );
  app.get(
    '/ledger_accounts',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'The accounts Arbor posts to, with their codes',
        response: { 200: listOf(LedgerAccountOut) },
      },
    },
    async (req) => ({ data: await service.listLedgerAccounts(req.ctx), has_more: false }),
  );
  app.get(
    '/reports/trial_balance',
    {
      config: { access: 'read' },
      schema: {
        tags: ['Reports'],
        summary: 'Debits, credits and balance per account and currency as of a date',
        querystring: AsOfQuery.extend(CsvFormatQuery),
        response: { 200: TrialBalanceOut },
      },
    },
    async (req, reply) =>
      reportOrCsv(
        req,
        reply,
        await service.trialBalance(req.ctx, req.query.as_of ?? req.ctx.today),
        'trial_balance',
        (r) => r.currencies.flatMap((c) => c.accounts.map((a) => ({ as_of: r.as_of, currency: c.currency, ...a }))),
      ),
  );
}
