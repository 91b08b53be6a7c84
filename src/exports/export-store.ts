import { sql } from 'drizzle-orm';
import { type Queryable, rows } from '../platform/db';

export interface StoredLine {
  entry_id: string;
  line_no: number;
  account: string;
  debit: string;
  credit: string;
}

export interface StoredEntry {
  id: string;
  date: string;
  currency: string;
  source_type: string;
  source_id: string;
  memo: string;
  created_at: Date | string;
  document_number: string | null;
  customer_id: string | null;
  customer_name: string | null;
}

const lineFilter = (orgId: string, from: string, to: string, format: string | null) => sql`
  l.org_id = ${orgId} and l.date >= ${from}::date and l.date <= ${to}::date
  ${
    format === null
      ? sql``
      : sql`and not exists (select 1 from journal_line_exports x
                            where x.entry_id = l.entry_id and x.line_no = l.line_no and x.format = ${format})`
  }`;

/**
 * The journal lines of a period, oldest first (`format`: only those never exported in it), and their entries with the
 * document number and customer each concerns: an invoice's or credit note's number; for money, the invoice it pays
 * (else the payment's reference).
 */
export async function journalForExport(
  q: Queryable,
  orgId: string,
  from: string,
  to: string,
  onlyNewIn: string | null,
): Promise<{ entries: StoredEntry[]; lines: StoredLine[] }> {
  const lines = await rows<StoredLine>(
    q,
    sql`select l.entry_id, l.line_no, l.account, l.debit::text as debit, l.credit::text as credit
        from journal_lines l
        where ${lineFilter(orgId, from, to, onlyNewIn)}
        order by l.entry_id, l.line_no`,
  );
  if (lines.length === 0) return { entries: [], lines };
  const entries = await rows<StoredEntry>(
    q,
    sql`select e.id, e.date::text as date, e.currency, e.source_type, e.source_id, e.memo, e.created_at,
               coalesce(i.number, cn.number, ai.number, wi.number, paid.number, p.reference, rp.reference, rcn.number)
                 as document_number,
               c.id as customer_id, c.name as customer_name
        from journal_entries e
        left join invoices i on e.source_type = 'invoice' and i.id = e.source_id
        left join credit_notes cn on e.source_type = 'credit_note' and cn.id = e.source_id
        left join applications a on e.source_type = 'application' and a.id = e.source_id
        left join invoices ai on ai.id = a.invoice_id
        left join write_offs w on e.source_type = 'write_off' and w.id = e.source_id
        left join invoices wi on wi.id = w.invoice_id
        left join payments p on e.source_type = 'payment' and p.id = e.source_id
        left join lateral (
          select inv.number from applications pa join invoices inv on inv.id = pa.invoice_id
          where pa.source_type = 'payment' and pa.source_id = p.id
          order by pa.date, pa.id limit 1) paid on true
        left join refunds r on e.source_type = 'refund' and r.id = e.source_id
        left join payments rp on r.source_type = 'payment' and rp.id = r.source_id
        left join credit_notes rcn on r.source_type = 'credit_note' and rcn.id = r.source_id
        left join customers c
          on c.id = coalesce(i.customer_id, cn.customer_id, ai.customer_id, wi.customer_id, p.customer_id, r.customer_id)
        where e.org_id = ${orgId}
          and e.id in (select distinct l.entry_id from journal_lines l where ${lineFilter(orgId, from, to, onlyNewIn)})
        order by e.date, e.created_at, e.id`,
  );
  return { entries, lines };
}

/** Currencies other than `base` of journal lines in the period. */
export async function foreignCurrencies(q: Queryable, orgId: string, from: string, to: string, base: string) {
  const found = await rows<{ currency: string }>(
    q,
    sql`select distinct currency from journal_lines
        where org_id = ${orgId} and date >= ${from}::date and date <= ${to}::date and currency <> ${base}
        order by currency`,
  );
  return found.map((r) => r.currency);
}

/** Marks the lines as included in the export. */
export async function markExported(
  q: Queryable,
  orgId: string,
  exportId: string,
  format: string,
  lines: { entry_id: string; line_no: number }[],
): Promise<void> {
  for (let i = 0; i < lines.length; i += 1000) {
    const chunk = lines.slice(i, i + 1000);
    await q.execute(
      sql`insert into journal_line_exports (org_id, entry_id, line_no, format, export_id)
          values ${sql.join(
            chunk.map((l) => sql`(${orgId}, ${l.entry_id}, ${l.line_no}::int, ${format}, ${exportId})`),
            sql`, `,
          )}`,
    );
  }
}

/**
 * The DATEV debtor account of each customer, given now to those without one: from `start` upward (after the highest
 * given), in the order asked; kept once given.
 */
export async function debtorAccounts(
  q: Queryable,
  orgId: string,
  customerIds: string[],
  start: number,
  now: Date,
): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  if (customerIds.length === 0) return result;
  const known = await rows<{ customer_id: string; number: number }>(
    q,
    sql`select customer_id, number from datev_debtor_accounts
        where org_id = ${orgId} and customer_id in (${sql.join(
          customerIds.map((id) => sql`${id}`),
          sql`, `,
        )})`,
  );
  for (const k of known) result.set(k.customer_id, Number(k.number));
  const missing = customerIds.filter((id) => !result.has(id));
  if (missing.length === 0) return result;
  const [top] = await rows<{ n: number | null }>(
    q,
    sql`select max(number) as n from datev_debtor_accounts where org_id = ${orgId}`,
  );
  let next = Math.max(start, top?.n === null || top?.n === undefined ? start : Number(top.n) + 1);
  for (const id of missing) {
    await q.execute(
      sql`insert into datev_debtor_accounts (org_id, customer_id, number, created_at)
          values (${orgId}, ${id}, ${next}::int, ${now})`,
    );
    result.set(id, next++);
  }
  return result;
}
